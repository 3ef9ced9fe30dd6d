// Nearest neighbours by cosine similarity: the same answer as sorting every cosine, without the
// track itself, with ties in track-id order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmbeddingMatrix } from '../../src-main/personal/embedding-matrix.ts';
import { rowOf } from '../../src-main/personal/embedding-matrix.ts';
import { allocateMatrix } from '../../src-main/personal/simd-dots.ts';
import { dotAll, nearest } from '../../src-main/personal/similar.ts';
import { seededRandom } from '../helpers/random.ts';

function matrix(rows: number[][], ids?: number[]): EmbeddingMatrix {
  const dims = rows[0]!.length;
  const data = Float32Array.from(rows.flat());
  return {
    modelVersion: 'm',
    dims,
    trackIds: Int32Array.from(ids ?? rows.map((_, i) => i + 1)),
    data,
    norms: Float32Array.from(rows.map((r) => Math.hypot(...r))),
  };
}

test('the n nearest rows are those of the sorted cosines, the track itself left out', () => {
  const rnd = seededRandom(11);
  const rows = Array.from({ length: 203 }, () => Array.from({ length: 37 }, () => rnd()));
  const m = matrix(rows);
  const q = 42;
  const cos = rows.map((r, i) => ({ id: i + 1, c: r.reduce((s, v, k) => s + v * rows[q]![k]!, 0) / (Math.hypot(...r) * Math.hypot(...rows[q]!)) }));
  const expected = cos.filter((c) => c.id !== q + 1).sort((a, b) => b.c - a.c || a.id - b.id);
  const got = nearest(m, q, 10);
  assert.deepEqual(
    got.map((g) => g.trackId),
    expected.slice(0, 10).map((e) => e.id),
  );
  got.forEach((g, i) => assert.ok(Math.abs(g.similarity - expected[i]!.c) < 1e-5));
  assert.equal(nearest(m, q, 500).length, 202);
});

test('dot products of the four-row kernel equal plain sums, including the rows past a multiple of four', () => {
  const rnd = seededRandom(5);
  const rows = Array.from({ length: 7 }, () => Array.from({ length: 9 }, () => rnd() - 0.5));
  const m = matrix(rows);
  const query = Float32Array.from(rows[2]!);
  const dots = dotAll(m, query, new Float32Array(7));
  rows.forEach((r, i) => assert.ok(Math.abs(dots[i]! - r.reduce((s, v, k) => s + v * query[k]!, 0)) < 1e-6));
});

test('equal similarities come in track-id order, and a silent (all-zero) track is similarity 0', () => {
  const m = matrix(
    [
      [1, 0],
      [2, 0],
      [0, 0],
      [3, 0],
      [0, 1],
    ],
    [10, 20, 30, 40, 50],
  );
  const got = nearest(m, 0, 4);
  assert.deepEqual(
    got.map((g) => [g.trackId, Number(g.similarity.toFixed(6))]),
    [
      [20, 1],
      [40, 1],
      [30, 0],
      [50, 0],
    ],
  );
  assert.equal(rowOf(m, 40), 3);
  assert.equal(rowOf(m, 41), -1);
});

test('the WebAssembly SIMD kernel gives the dot products of the JavaScript loop, and the same neighbours', () => {
  const rnd = seededRandom(21);
  for (const [rows, dims] of [
    [1, 8],
    [37, 16],
    [300, 512],
  ] as const) {
    const store = allocateMatrix(rows, dims);
    assert.ok(store.kernel, 'WebAssembly SIMD is available in this Node');
    for (let i = 0; i < store.data.length; i++) store.data[i] = rnd() * 3;
    const query = Float32Array.from({ length: dims }, () => rnd());
    const simd = new Float32Array(rows);
    store.kernel(query, simd);
    const js = dotAll({ data: store.data, dims }, query, new Float32Array(rows));
    for (let r = 0; r < rows; r++) assert.ok(Math.abs(simd[r]! - js[r]!) <= 1e-5 * Math.abs(js[r]!), `row ${r} of ${rows}×${dims}: ${simd[r]} vs ${js[r]}`);
  }
  const store = allocateMatrix(200, 64);
  for (let i = 0; i < store.data.length; i++) store.data[i] = rnd();
  const norms = Float32Array.from({ length: 200 }, (_, r) => Math.hypot(...store.data.subarray(r * 64, (r + 1) * 64)));
  const base = { modelVersion: 'm', dims: 64, trackIds: Int32Array.from({ length: 200 }, (_, i) => i + 1), data: store.data, norms };
  assert.deepEqual(
    nearest({ ...base, kernel: store.kernel }, 17, 15).map((x) => x.trackId),
    nearest(base, 17, 15).map((x) => x.trackId),
  );
});

test('widths the kernel cannot take, or simd turned off, fall back to a plain array and the JavaScript loop', () => {
  assert.equal(allocateMatrix(10, 12).kernel, undefined);
  assert.equal(allocateMatrix(10, 16, { simd: false }).kernel, undefined);
  assert.equal(allocateMatrix(0, 512).kernel, undefined);
  assert.equal(allocateMatrix(10, 12).data.length, 120);
});
