// The ridge model's closed forms: held-out predictions (whole groups, and single tracks) equal
// refitting without them, and the weights folded into the raw embedding space score alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gram, solveCholesky, cholesky } from '../../src-main/personal/linear-algebra.ts';
import { designRow, heldOutScores, holdOut, normalMatrix, rawLinear, scoreRows, standardisation, sumRows } from '../../src-main/personal/ridge.ts';
import { leaveOneOut } from '../../src-main/personal/train.ts';
import { seededRandom } from '../helpers/random.ts';

const n = 60;
const d = 6;
const lambda = 3;
const rnd = seededRandom(7);
const x = Float32Array.from({ length: n * d }, () => rnd() * 4);
const y = Float64Array.from({ length: n }, (_, i) => (x[i * d]! + x[i * d + 1]! > 4 ? 1 : 0));
const positives = Int32Array.from([...y.keys()].filter((i) => y[i] === 1));

/** Ridge fitted from scratch on `rows` (standardised with those rows' own statistics, as the closed form assumes the training set's). */
function refit(rows: number[], s = standardisation(x, d)) {
  const p = d + 1;
  const f = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (const r of rows) {
    const a = designRow(x, r, s);
    for (let i = 0; i < p; i++) {
      b[i] += y[r]! * a[i]!;
      for (let j = 0; j < p; j++) f[i * p + j] += a[i]! * a[j]!;
    }
  }
  for (let i = 0; i < d; i++) f[i * p + i] += lambda;
  return solveCholesky(cholesky(f, p), p, b);
}

test('the normal matrix from the raw Gram matrix equals AᵀA + λI of the standardised design', () => {
  const s = standardisation(x, d);
  const f = normalMatrix(gram(x, d), n, s, lambda);
  const p = d + 1;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let v = i === j && i < d ? lambda : 0;
      for (let r = 0; r < n; r++) v += designRow(x, r, s)[i]! * designRow(x, r, s)[j]!;
      assert.ok(Math.abs(f[i * p + j]! - v) < 1e-8, `F[${i},${j}]`);
    }
  }
});

test('held-out group predictions in closed form equal refitting without the group', async () => {
  const s = standardisation(x, d);
  const all = Array.from({ length: n }, (_, i) => i);
  const groups = [0, 1, 2, 3, 4, 5].map((g) => Int32Array.from(all.filter((i) => i % 6 === g)));
  const h = await holdOut(x, s, normalMatrix(gram(x, d), n, s, lambda), all, groups);
  const w = solveCholesky(h.factor, d + 1, sumRows(x, s, positives));
  assert.deepEqual(
    Array.from(w).map((v) => v.toFixed(9)),
    Array.from(refit(all, s)).map((v) => v.toFixed(9)),
  );
  const fitted = scoreRows(x, rawLinear(w, s));
  const held = heldOutScores(h, y, fitted);
  for (const g of groups) {
    const rest = all.filter((i) => !g.includes(i));
    // Refit with the same standardisation: the closed form removes rows from F and b, nothing else.
    const wRest = refit(rest, s);
    for (const i of g) {
      const a = designRow(x, i, s);
      const expected = a.reduce((acc, v, j) => acc + v * wRest[j]!, 0);
      assert.ok(Math.abs(held[i]! - expected) < 1e-8, `row ${i}: ${held[i]} vs ${expected}`);
    }
  }
});

test('a single track left out: (ŷ − h·y)/(1 − h) with its leverage equals refitting without it', async () => {
  const s = standardisation(x, d);
  const all = Array.from({ length: n }, (_, i) => i);
  const h = await holdOut(
    x,
    s,
    normalMatrix(gram(x, d), n, s, lambda),
    all,
    all.map((i) => Int32Array.of(i)),
  );
  const w = solveCholesky(h.factor, d + 1, sumRows(x, s, positives));
  const fitted = scoreRows(x, rawLinear(w, s));
  for (const i of [0, 17, 59]) {
    const wRest = refit(
      all.filter((r) => r !== i),
      s,
    );
    const expected = designRow(x, i, s).reduce((acc, v, j) => acc + v * wRest[j]!, 0);
    assert.ok(Math.abs(leaveOneOut(fitted[i]!, h.leverages[i]!, y[i]!) - expected) < 1e-8);
    assert.ok(h.leverages[i]! > 0 && h.leverages[i]! < 1);
  }
});

test('weights folded into the raw space score every row as the standardised design does', () => {
  const s = standardisation(x, d);
  const w = Float64Array.from({ length: d + 1 }, (_, i) => Math.sin(i + 1));
  const raw = scoreRows(x, rawLinear(w, s), [3, 0, 41]);
  [3, 0, 41].forEach((r, k) => {
    const expected = designRow(x, r, s).reduce((acc, v, j) => acc + v * w[j]!, 0);
    assert.ok(Math.abs(raw[k]! - expected) < 1e-9);
  });
});

test('a constant dimension is scaled by 1, not divided by zero', () => {
  const flat = Float32Array.from({ length: 4 * 2 }, (_, i) => (i % 2 === 0 ? 5 : i));
  const s = standardisation(flat, 2);
  assert.equal(s.scale[0], 1);
  assert.equal(s.mean[0], 5);
  assert.ok(s.scale[1]! > 1);
});
