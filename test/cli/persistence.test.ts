import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistenceResponse } from '../../src-main/api/schemas/persistence.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { gudhiReference, hasGudhi } from '../helpers/gudhi-ref.ts';

const segments = [
  [0, 2, 1, 3, 0],
  [1, 1, 1],
  [0.25, 4.75, 0.5, 4.5, 0, 3.2, 3.2, 1.1, 2.9, 0],
];

describe('betti persistence', () => {
  it('prints diagrams, landscapes and parameters for segments read on stdin', () => {
    const r = runBetti(['persistence', '--json'], { input: JSON.stringify({ segments }) });
    assert.equal(r.status, 0, r.stderr);
    const out = parseJsonOutput<PersistenceResponse>(r);
    assert.deepEqual(out.params, { k: 5, points: 10, lo: 0, hi: 5 });
    assert.deepEqual(out.diagrams[0], [
      { birth: 3, death: 0, birthIndex: 3, deathIndex: 4 },
      { birth: 2, death: 1, birthIndex: 1, deathIndex: 2 },
    ]);
    assert.deepEqual(out.diagrams[1], [{ birth: 1, death: 1, birthIndex: 0, deathIndex: 2 }]);
    assert.equal(out.landscapes.length, 3);
    assert.ok(out.landscapes.every((row) => row.length === 50));
    assert.deepEqual(out.landscapes[0].slice(0, 10), [0, 0.5, 1, 1.5, 1, 0.5, 0, 0, 0, 0]);
  });

  it('agrees with GUDHI and numpy on what it prints', { skip: hasGudhi() ? false : 'python3-gudhi is not installed' }, () => {
    const landscape = { k: 3, points: 12, lo: -1, hi: 5 };
    const out = parseJsonOutput<PersistenceResponse>(runBetti(['persistence', '--json'], { input: JSON.stringify({ segments, landscape }) }));
    const ref = gudhiReference(segments, landscape);
    out.diagrams.forEach((d, s) => {
      const ours = d.map((p) => [p.birth, p.death]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      assert.deepEqual(ours, ref.diagrams[s].slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      out.landscapes[s].forEach((v, i) => assert.ok(Math.abs(v - ref.landscapes[s][i]) <= 1e-9, `segment ${s} value ${i}`));
    });
  });

  it('reads the same request without --json and prints a readable table', () => {
    const r = runBetti(['persistence'], { input: JSON.stringify({ segments: [[0, 2, 1, 3, 0]] }) });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /segment 0: 2 pair\(s\)/);
    assert.match(r.stdout, /\(3, 0\) @ \[3, 4\]/);
    assert.match(r.stdout, /λ1: 0 0\.5 1 1\.5 1 0\.5 0 0 0 0/);
  });

  it('names the offending value when a segment holds a non-number or an overflow to Infinity', () => {
    for (const [input, found] of [
      ['{"segments": [[1, 2], [3, "x"]]}', 'string'],
      ['{"segments": [[1, 2, 1e999]]}', 'Infinity'],
    ]) {
      const r = runBetti(['persistence', '--json'], { input });
      assert.equal(r.status, 2);
      const { error } = parseJsonOutput<{ error: { kind: string; message: string } }>(r);
      assert.equal(error.kind, 'invalid-request');
      assert.match(error.message, new RegExp(`received ${found}`));
      assert.match(error.message, /segments\[\d\]\[\d\]/);
    }
  });

  it('says what it expected when stdin is empty, not JSON, or JSON of another shape', () => {
    const empty = runBetti(['persistence'], { input: '' });
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /nothing on standard input/);
    const bad = runBetti(['persistence', '--json'], { input: '{"segments": [[1, 2' });
    assert.equal(bad.status, 2);
    const { error } = parseJsonOutput<{ error: { message: string; hint: string } }>(bad);
    assert.match(error.message, /standard input is not JSON/);
    assert.match(error.hint, /"segments"/);
    const shape = runBetti(['persistence'], { input: '{"x": 1}' });
    assert.equal(shape.status, 2);
    assert.match(shape.stderr, /Unrecognized key: "x"/);
    assert.match(shape.stderr, /Expected \{"segments": \[\[numbers/);
    assert.doesNotMatch(shape.stderr, /src-main/, 'a person at a terminal is shown the shape, not a source folder');
  });

  it('refuses landscape parameters that cannot be sampled', () => {
    const r = runBetti(['persistence', '--json'], { input: JSON.stringify({ segments, landscape: { k: 5, points: 10, lo: 5, hi: 1 } }) });
    assert.equal(r.status, 2);
    assert.match(parseJsonOutput<{ error: { message: string } }>(r).error.message, /lo must be smaller than hi/);
  });
});
