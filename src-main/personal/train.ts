// One learning run over the embedding matrix, without the database: for each candidate value, a
// ridge model (ridge.ts), its quality estimated on held-out albums, a calibration and a threshold,
// and whether it clears the quality bar. Every value shares the Gram matrix, the factorisation
// and the held-out blocks, so the cost is one pass over the tracks per ridge strength tried plus a
// product per value; the ridge strength is chosen once for the run, by mean held-out ROC-AUC
// over all its values (choosing per value would flatter the estimates it reports).
import { rocAuc } from '../model/metrics.ts';
import { DEFAULT_BAR, type QualityBar } from '../model/quality-bar.ts';
import { Breather } from './breather.ts';
import { chooseThreshold, fitCalibration, operatingAt, probability, type Calibration } from './calibration.ts';
import { cholesky, GramAccumulator, solveCholesky } from './linear-algebra.ts';
import { designRow, heldOutScores, holdOut, normalMatrix, rawLinear, scoreRows, standardisation, sumRows, type HoldOut, type Standardisation } from './ridge.ts';

/** A decided personal suggestion counts as this many tracks tagged by hand: the person said so. */
export const CONFIRMED_WEIGHT = 3;
/** Ridge strengths tried, as multiples of the track count. */
export const RIDGE_GRID = [0.3, 3, 30] as const;
/** Held-out groups larger than this (a 300-track compilation) are cut into chunks of it. */
export const MAX_GROUP = 64;

/** One value to learn: its positive rows and the decided suggestions about it. */
export interface ValueLabels {
  readonly field: string;
  readonly value: string;
  readonly valueKey: string;
  /** Rows tagged with the value (in the file, or an accepted suggestion), ascending. */
  readonly positives: Int32Array;
  /** Rows with a decided personal suggestion of this value (file tags win over decisions). */
  readonly confirmed: readonly { readonly row: number; readonly positive: boolean }[];
}

export interface TrainedValue {
  readonly labels: ValueLabels;
  readonly positives: number;
  readonly negatives: number;
  readonly cvRocAuc: number | null;
  readonly cvPrecision: number;
  readonly cvRecall: number;
  readonly calibration: Calibration;
  readonly threshold: number;
  readonly offered: boolean;
  readonly reason: string;
  /** Weights in use (feedback included), standardised space, bias last. */
  readonly weights: Float64Array;
  /** Aᵀy of the file labels (no feedback): what later feedback is added to. */
  readonly targets: Float64Array;
}

export interface TrainResult {
  readonly lambda: number;
  readonly standardisation: Standardisation;
  /** F = AᵀA + λI over every row (no feedback). */
  readonly normalMatrix: Float64Array;
  /** Each row's leverage under F. */
  readonly leverages: Float64Array;
  readonly values: readonly TrainedValue[];
  /** Mean held-out ROC-AUC of every strength tried. */
  readonly grid: readonly { readonly lambda: number; readonly meanRocAuc: number }[];
  readonly timing: { readonly gramMs: number; readonly holdOutMs: number; readonly valuesMs: number };
}

/** Held-out groups over rows 0…n − 1 from one key per row; groups over MAX_GROUP are cut. */
export function groupsFromKeys(keys: readonly string[]): Int32Array[] {
  const byKey = new Map<string, number[]>();
  keys.forEach((k, i) => {
    let g = byKey.get(k);
    if (!g) byKey.set(k, (g = []));
    g.push(i);
  });
  const out: Int32Array[] = [];
  for (const g of byKey.values()) for (let i = 0; i < g.length; i += MAX_GROUP) out.push(Int32Array.from(g.slice(i, i + MAX_GROUP)));
  return out;
}

/** 0/1 label per row. */
function labelVector(n: number, positives: Int32Array): Float64Array {
  const y = new Float64Array(n);
  for (const r of positives) y[r] = 1;
  return y;
}

/** F and b with extra weight on some rows: F += Σ wᵢ aᵢaᵢᵀ, b += Σ tᵢ aᵢ. Returns new arrays. */
export function addRows(
  f: Float64Array,
  b: Float64Array,
  x: Float32Array,
  s: Standardisation,
  items: readonly { readonly row: number; readonly weight: number; readonly target: number }[],
): { f: Float64Array; b: Float64Array } {
  const p = b.length;
  const f2 = f.slice();
  const b2 = b.slice();
  const a = new Float64Array(p);
  for (const it of items) {
    designRow(x, it.row, s, a);
    if (it.weight !== 0) {
      for (let i = 0; i < p; i++) {
        const wi = it.weight * a[i]!;
        for (let j = 0; j < p; j++) f2[i * p + j] += wi * a[j]!;
      }
    }
    if (it.target !== 0) for (let i = 0; i < p; i++) b2[i] += it.target * a[i]!;
  }
  return { f: f2, b: b2 };
}

/** Weights after the decided suggestions: each confirmed row weighs CONFIRMED_WEIGHT, with the person's label. */
function weightsWithFeedback(f: Float64Array, b: Float64Array, w: Float64Array, x: Float32Array, s: Standardisation, v: ValueLabels, y: Float64Array): Float64Array {
  if (v.confirmed.length === 0) return w;
  // Every row is a training row with weight 1 and label y; a confirmed one gets weight W and the decision's label.
  const items = v.confirmed.map((c) => ({ row: c.row, weight: CONFIRMED_WEIGHT - 1, target: CONFIRMED_WEIGHT * (c.positive ? 1 : 0) - y[c.row]! }));
  const adjusted = addRows(f, b, x, s, items);
  return solveCholesky(cholesky(adjusted.f, b.length), b.length, adjusted.b);
}

/** Out-of-sample score of row i from its in-sample score: (ŷᵢ − hᵢyᵢ)/(1 − hᵢ) (exact for ridge). */
export function leaveOneOut(fitted: number, leverage: number, label: number): number {
  return (fitted - leverage * label) / (1 - leverage);
}

/** Rows per slice of the Gram matrix: a few tens of milliseconds each, between turns of the event loop. */
const GRAM_SLICE = 256;

async function gramInSlices(x: Float32Array, dims: number, n: number, breather: Breather): Promise<Float64Array> {
  const acc = new GramAccumulator(dims);
  for (let r0 = 0; r0 < n; r0 += GRAM_SLICE) {
    acc.add(x, r0, Math.min(n, r0 + GRAM_SLICE));
    await breather.breathe();
  }
  return acc.result();
}

export async function train(
  x: Float32Array,
  dims: number,
  groupKeys: readonly string[],
  values: readonly ValueLabels[],
  bar: QualityBar = DEFAULT_BAR,
  grid: readonly number[] = RIDGE_GRID,
): Promise<TrainResult> {
  const n = groupKeys.length;
  const breather = new Breather();
  const s = standardisation(x, dims);
  const t0 = performance.now();
  const g = await gramInSlices(x, dims, n, breather);
  const t1 = performance.now();
  const groups = groupsFromKeys(groupKeys);
  const labels = values.map((v) => labelVector(n, v.positives));
  const targets = values.map((v) => sumRows(x, s, v.positives));

  interface Fit {
    lambda: number;
    f: Float64Array;
    h: HoldOut;
    weights: Float64Array[];
    fitted: Float64Array[];
    heldOut: Float64Array[];
    aucs: (number | null)[];
  }
  let best: Fit | undefined;
  let bestMean = -1;
  const tried: { lambda: number; meanRocAuc: number }[] = [];
  let holdOutMs = 0;
  let valuesMs = 0;
  for (const alpha of grid) {
    const lambda = alpha * n;
    const th = performance.now();
    const f = normalMatrix(g, n, s, lambda);
    const h = await holdOut(
      x,
      s,
      f,
      Array.from({ length: n }, (_, i) => i),
      groups,
      breather,
    );
    const tv = performance.now();
    holdOutMs += tv - th;
    const fit: Fit = { lambda, f, h, weights: [], fitted: [], heldOut: [], aucs: [] };
    for (let k = 0; k < values.length; k++) {
      const w = solveCholesky(h.factor, dims + 1, targets[k]!);
      const fitted = scoreRows(x, rawLinear(w, s));
      const held = heldOutScores(h, labels[k]!, fitted);
      fit.weights.push(w);
      fit.fitted.push(fitted);
      fit.heldOut.push(held);
      fit.aucs.push(rocAuc(Array.from(labels[k]!, (y) => y > 0), Array.from(held)));
      await breather.breathe();
    }
    valuesMs += performance.now() - tv;
    const known = fit.aucs.filter((a): a is number => a !== null);
    const mean = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    tried.push({ lambda, meanRocAuc: mean });
    if (mean > bestMean) {
      best = fit;
      bestMean = mean;
    }
    if (values.length === 0) break; // nothing to choose by: one strength is enough
  }
  const chosen = best!;
  const tf = performance.now();
  const trained: TrainedValue[] = [];
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const y = labels[k]!;
    const pos = v.positives.length;
    const fitted = chosen.fitted[k]!;
    // Calibration and threshold from leave-one-out scores (what a track's suggestion is scored
    // with later); the quality reported from held-out albums at that threshold.
    const loo = fitted.map((f, i) => leaveOneOut(f, chosen.h.leverages[i]!, y[i]!));
    const calibration = fitCalibration(loo, y);
    const op = chooseThreshold(
      loo.map((sc) => probability(calibration, sc)),
      y,
      bar.thresholdFloor,
    );
    const heldProbabilities = chosen.heldOut[k]!.map((sc) => probability(calibration, sc));
    const cv = operatingAt(heldProbabilities, y, op.threshold);
    const auc = chosen.aucs[k]!;
    const offered = pos >= bar.minPositives && auc !== null && auc >= bar.minRocAuc && cv.precision >= bar.minPrecision;
    const reason =
      pos < bar.minPositives
        ? `only ${pos} tracks have it (at least ${bar.minPositives} needed)`
        : auc === null
          ? 'no track lacks it, so there is nothing to tell it from'
          : auc < bar.minRocAuc
            ? `cross-validated ROC-AUC ${auc.toFixed(2)} is below ${bar.minRocAuc}`
            : cv.precision < bar.minPrecision
              ? `cross-validated precision ${cv.precision.toFixed(2)} at threshold ${op.threshold.toFixed(2)} is below ${bar.minPrecision}`
              : `cross-validated ROC-AUC ${auc.toFixed(2)}, precision ${cv.precision.toFixed(2)} at threshold ${op.threshold.toFixed(2)}`;
    trained.push({
      labels: v,
      positives: pos,
      negatives: n - pos,
      cvRocAuc: auc,
      cvPrecision: cv.precision,
      cvRecall: cv.recall,
      calibration,
      threshold: op.threshold,
      offered,
      reason,
      weights: weightsWithFeedback(chosen.f, targets[k]!, chosen.weights[k]!, x, s, v, y),
      targets: targets[k]!,
    });
    await breather.breathe();
  }
  valuesMs += performance.now() - tf;
  return {
    lambda: chosen.lambda,
    standardisation: s,
    normalMatrix: chosen.f,
    leverages: chosen.h.leverages,
    values: trained,
    grid: tried,
    timing: { gramMs: t1 - t0, holdOutMs, valuesMs },
  };
}
