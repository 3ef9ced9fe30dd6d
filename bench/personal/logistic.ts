// The reference personal tag model for bench/personal: L2-regularised logistic regression on the
// same standardised embeddings, fitted by full-batch gradient descent with Adam in plain
// TypeScript, cross-validated with 5 folds of whole albums. This is what the issue first names
// ("logistic regression … in JavaScript"); the bench measures it beside the ridge models Betti
// ships (src-main/personal/ridge.ts) for time and held-out ROC-AUC.
import { rocAuc } from '../../src-main/model/metrics.ts';
import { designRow, type Standardisation } from '../../src-main/personal/ridge.ts';

export interface LogisticOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
}

export const LOGISTIC_DEFAULTS: LogisticOptions = { epochs: 100, learningRate: 0.05, l2: 1e-3 };

/** The standardised design rows (with the bias 1) of `rows`, packed: what every epoch reads. */
export function packDesign(x: Float32Array, s: Standardisation, rows: ArrayLike<number>): Float32Array {
  const p = s.mean.length + 1;
  const out = new Float32Array(rows.length * p);
  const a = new Float64Array(p);
  for (let k = 0; k < rows.length; k++) out.set(designRow(x, rows[k]!, s, a), k * p);
  return out;
}

/** Weights (bias last) minimising mean log loss + l2/2·|w|² (bias not penalised). */
export function fitLogistic(design: Float32Array, p: number, y: ArrayLike<number>, opts: LogisticOptions = LOGISTIC_DEFAULTS): Float64Array {
  const n = y.length;
  const w = new Float64Array(p);
  const m = new Float64Array(p);
  const v = new Float64Array(p);
  const g = new Float64Array(p);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let z = 0;
      for (let j = 0; j < p; j++) z += design[o + j]! * w[j]!;
      const e = 1 / (1 + Math.exp(-z)) - y[i]!;
      for (let j = 0; j < p; j++) g[j] += e * design[o + j]!;
    }
    for (let j = 0; j < p; j++) {
      const grad = g[j]! / n + (j < p - 1 ? opts.l2 * w[j]! : 0);
      m[j] = b1 * m[j]! + (1 - b1) * grad;
      v[j] = b2 * v[j]! + (1 - b2) * grad * grad;
      const mh = m[j]! / (1 - b1 ** epoch);
      const vh = v[j]! / (1 - b2 ** epoch);
      w[j] -= (opts.learningRate * mh) / (Math.sqrt(vh) + eps);
    }
  }
  return w;
}

/** Held-out ROC-AUC over 5 folds of whole groups, then the final fit on everything (as a product would). */
export function crossValidatedLogistic(design: Float32Array, p: number, y: Float64Array, groupOf: Int32Array, opts: LogisticOptions = LOGISTIC_DEFAULTS): { rocAuc: number | null; weights: Float64Array } {
  const n = y.length;
  const scores = new Float64Array(n);
  for (let fold = 0; fold < 5; fold++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (groupOf[i]! % 5 === fold ? test : train).push(i);
    const sub = new Float32Array(train.length * p);
    train.forEach((r, k) => sub.set(design.subarray(r * p, (r + 1) * p), k * p));
    const w = fitLogistic(
      sub,
      p,
      train.map((r) => y[r]!),
      opts,
    );
    for (const r of test) {
      let z = 0;
      for (let j = 0; j < p; j++) z += design[r * p + j]! * w[j]!;
      scores[r] = z;
    }
  }
  return { rocAuc: rocAuc(Array.from(y, (v) => v > 0), Array.from(scores)), weights: fitLogistic(design, p, y, opts) };
}
