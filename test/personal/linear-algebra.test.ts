// The dense algebra under the personal models: the blocked Gram matrix against the plain sum, and
// Cholesky solves that reproduce the right-hand side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backSolve, cholesky, forwardSolve, forwardSolveRows, gram, GramAccumulator, solveCholesky } from '../../src-main/personal/linear-algebra.ts';
import { seededRandom } from '../helpers/random.ts';

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  return Float32Array.from({ length: rows * cols }, () => rnd() * 2 - 1);
}

test('the blocked Gram matrix equals XᵀX summed plainly, for sizes off the block grid and chosen rows', () => {
  for (const [n, d] of [
    [1, 1],
    [7, 5],
    [130, 13],
    [65, 64],
  ] as const) {
    const x = randomMatrix(n, d, n * 31 + d);
    const g = gram(x, d);
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
    const gSome = gram(x, d, rows);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let all = 0;
        let some = 0;
        for (let r = 0; r < n; r++) all += x[r * d + i]! * x[r * d + j]!;
        for (const r of rows) some += x[r * d + i]! * x[r * d + j]!;
        assert.ok(Math.abs(g[i * d + j]! - all) < 1e-9, `G[${i},${j}] of ${n}×${d}`);
        assert.ok(Math.abs(gSome[i * d + j]! - some) < 1e-9);
      }
    }
  }
});

test('a Cholesky factor reproduces its matrix, and solving with it reproduces the right-hand side', () => {
  const d = 17;
  const x = randomMatrix(40, d, 3);
  const a = gram(x, d);
  for (let i = 0; i < d; i++) a[i * d + i] += 0.5;
  const l = cholesky(a, d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += l[i * d + k]! * l[j * d + k]!;
      assert.ok(Math.abs(s - a[i * d + j]!) < 1e-9);
      if (j > i) assert.equal(l[i * d + j], 0);
    }
  }
  const b = Float64Array.from({ length: d }, (_, i) => Math.cos(i));
  const sol = solveCholesky(l, d, b);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j]! * sol[j]!;
    assert.ok(Math.abs(s - b[i]!) < 1e-9);
  }
  // The two halves on their own: L z = b, then Lᵀ x = z.
  const z = forwardSolve(l, d, b);
  assert.deepEqual(Array.from(backSolve(l, d, z)), Array.from(sol));
});

test('a matrix that is not positive definite is refused with an internal error, not a NaN model', () => {
  const a = Float64Array.of(1, 2, 2, 1);
  assert.throws(() => cholesky(a, 2), (e: Error & { kind?: string }) => e.kind === 'internal' && /not positive definite/.test(e.message));
});

test('solving for several right-hand sides at once gives each one\'s own forward substitution', () => {
  const d = 9;
  const a = gram(randomMatrix(30, d, 8), d);
  for (let i = 0; i < d; i++) a[i * d + i] += 1;
  const l = cholesky(a, d);
  for (const m of [1, 4, 7]) {
    const rhs = Float64Array.from(randomMatrix(m, d, m));
    const expected = Array.from({ length: m }, (_, v) => Array.from(forwardSolve(l, d, rhs.subarray(v * d, (v + 1) * d))));
    const got = forwardSolveRows(l, d, rhs.slice(), m);
    for (let v = 0; v < m; v++) for (let i = 0; i < d; i++) assert.ok(Math.abs(got[v * d + i]! - expected[v]![i]!) < 1e-12);
  }
});

test('a Gram matrix summed in slices of rows equals the one summed at once', () => {
  const x = randomMatrix(300, 21, 4);
  const acc = new GramAccumulator(21);
  for (const [from, to] of [
    [0, 7],
    [7, 256],
    [256, 300],
  ] as const) {
    acc.add(x, from, to);
  }
  const sliced = acc.result();
  const whole = gram(x, 21);
  for (let i = 0; i < whole.length; i++) assert.ok(Math.abs(sliced[i]! - whole[i]!) < 1e-9);
});
