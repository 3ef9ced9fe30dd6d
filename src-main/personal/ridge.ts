// The classifier behind a personal tag: ridge regression of the 0/1 label on the standardised
// embedding (a linear discriminant), with its held-out predictions in closed form.
//
// Why ridge and not logistic regression by gradient descent: every value of every field shares
// the same design matrix, so the expensive part (the Gram matrix XᵀX and its factorisation) is
// computed once per learning run and each value then costs one product and two triangular
// solves; logistic regression needs tens of passes over all tracks per value and per fold. The
// two rank alike on the same embeddings (bench/personal measures both: CV ROC-AUC and time), and
// the ranking is what a tag suggestion needs; a one-dimensional logistic fit on held-out scores
// (calibration.ts) then turns scores into probabilities.
//
// Held-out predictions without refitting: for ridge regression with normal matrix F = AᵀA + Λ,
// holding out a group g of rows gives residuals e₋g = (I − H_gg)⁻¹ e_g, where e_g = y_g − ŷ_g
// are the in-sample residuals and H_gg = A_g F⁻¹ A_gᵀ (the group's block of the hat matrix).
// Groups are albums (tracks of one album sound alike and carry the same tags, so holding out a
// single track would flatter the model); a group of one is leave-one-out, whose hat diagonal
// (the leverage hᵢ) is kept to correct a track's own score later (scoring.ts).
import { Breather } from './breather.ts';
import { cholesky, forwardSolveRows, solveCholesky } from './linear-algebra.ts';

/** Mean and scale of each embedding dimension over the training tracks. */
export interface Standardisation {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

/** A dimension whose deviation is below this is constant: scaled by 1 so it cannot blow up. */
const CONSTANT = 1e-6;

export function standardisation(x: Float32Array, d: number, rows?: ArrayLike<number>): Standardisation {
  const n = rows ? rows.length : x.length / d;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = (rows ? rows[r]! : r) * d;
    for (let j = 0; j < d; j++) mean[j] += x[o + j]!;
  }
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n);
  for (let r = 0; r < n; r++) {
    const o = (rows ? rows[r]! : r) * d;
    for (let j = 0; j < d; j++) {
      const c = x[o + j]! - mean[j]!;
      sq[j] += c * c;
    }
  }
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(sq[j]! / Math.max(1, n));
    scale[j] = sd > CONSTANT ? sd : 1;
  }
  return { mean, scale };
}

/**
 * F = AᵀA + λ·diag(1, …, 1, 0) for the design A = [(X − μ)/σ, 1] of n rows, from the raw Gram
 * matrix XᵀX of those rows. The standardised columns sum to zero over the training rows, so the
 * bias column is orthogonal to them: F is block-diagonal with n in the last place. The bias is
 * not penalised. Size (d + 1)².
 */
export function normalMatrix(rawGram: Float64Array, n: number, s: Standardisation, lambda: number): Float64Array {
  const d = s.mean.length;
  const p = d + 1;
  const f = new Float64Array(p * p);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      f[i * p + j] = (rawGram[i * d + j]! - n * s.mean[i]! * s.mean[j]!) / (s.scale[i]! * s.scale[j]!);
    }
    f[i * p + i] += lambda;
  }
  f[d * p + d] = n;
  return f;
}

/** Row `row` of the design: the standardised embedding followed by 1. */
export function designRow(x: Float32Array, row: number, s: Standardisation, out: Float64Array = new Float64Array(s.mean.length + 1)): Float64Array {
  const d = s.mean.length;
  const o = row * d;
  for (let j = 0; j < d; j++) out[j] = (x[o + j]! - s.mean[j]!) / s.scale[j]!;
  out[d] = 1;
  return out;
}

/** Σ cᵢ·aᵢ over the given rows (Aᵀy for a 0/1 label y when the rows are its positives and c = 1). */
export function sumRows(x: Float32Array, s: Standardisation, rows: ArrayLike<number>, coefficients?: ArrayLike<number>): Float64Array {
  const d = s.mean.length;
  const out = new Float64Array(d + 1);
  const a = new Float64Array(d + 1);
  for (let k = 0; k < rows.length; k++) {
    const c = coefficients ? coefficients[k]! : 1;
    if (c === 0) continue;
    designRow(x, rows[k]!, s, a);
    for (let j = 0; j <= d; j++) out[j] += c * a[j]!;
  }
  return out;
}

/** A linear model in the space of the raw embedding: score = x·u + u0. */
export interface RawLinear {
  readonly u: Float64Array;
  readonly u0: number;
}

/** Folds the standardisation into the weights, so scoring a track is one dot product. */
export function rawLinear(w: Float64Array, s: Standardisation): RawLinear {
  const d = s.mean.length;
  const u = new Float64Array(d);
  let u0 = w[d]!;
  for (let j = 0; j < d; j++) {
    u[j] = w[j]! / s.scale[j]!;
    u0 -= s.mean[j]! * u[j]!;
  }
  return { u, u0 };
}

/** x·u + u0 for each of `rows` (default: every row). */
export function scoreRows(x: Float32Array, model: RawLinear, rows?: ArrayLike<number>): Float64Array {
  const d = model.u.length;
  const n = rows ? rows.length : x.length / d;
  const out = new Float64Array(n);
  const u = model.u;
  for (let r = 0; r < n; r++) {
    const o = (rows ? rows[r]! : r) * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      s0 += x[o + j]! * u[j]!;
      s1 += x[o + j + 1]! * u[j + 1]!;
      s2 += x[o + j + 2]! * u[j + 2]!;
      s3 += x[o + j + 3]! * u[j + 3]!;
    }
    for (; j < d; j++) s0 += x[o + j]! * u[j]!;
    out[r] = s0 + s1 + s2 + s3 + model.u0;
  }
  return out;
}

/**
 * Everything that does not depend on the label, for one normal matrix: its factor, and per
 * held-out group the factor of I − H_gg. `rows` are the training rows (indices into x), `groups`
 * partitions positions 0…rows.length − 1.
 */
export interface HoldOut {
  readonly factor: Float64Array;
  readonly groups: readonly Int32Array[];
  /** Cholesky factor of I − H_gg per group (size |g|²). */
  readonly groupFactors: readonly Float64Array[];
  /** Diagonal of the hat matrix per training position: a track's own leverage. */
  readonly leverages: Float64Array;
}

export async function holdOut(x: Float32Array, s: Standardisation, f: Float64Array, rows: ArrayLike<number>, groups: readonly Int32Array[], breather = new Breather()): Promise<HoldOut> {
  const p = s.mean.length + 1;
  const factor = cholesky(f, p);
  const leverages = new Float64Array(rows.length);
  const groupFactors: Float64Array[] = [];
  for (const g of groups) {
    const m = g.length;
    const z = new Float64Array(m * p);
    for (let k = 0; k < m; k++) designRow(x, rows[g[k]!]!, s, z.subarray(k * p, (k + 1) * p));
    forwardSolveRows(factor, p, z, m);
    // I − H_gg, H_gg = Z Zᵀ with Z's rows L⁻¹aᵢ.
    const ih = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        const oi = i * p;
        const oj = j * p;
        for (let t = 0; t < p; t++) dot += z[oi + t]! * z[oj + t]!;
        ih[i * m + j] = (i === j ? 1 : 0) - dot;
        ih[j * m + i] = ih[i * m + j]!;
        if (i === j) leverages[g[i]!] = dot;
      }
    }
    groupFactors.push(cholesky(ih, m));
    await breather.breathe();
  }
  return { factor, groups, groupFactors, leverages };
}

/** Ridge weights w = F⁻¹ b (standardised space, bias last). */
export function solveWeights(h: Pick<HoldOut, 'factor'>, b: Float64Array): Float64Array {
  return solveCholesky(h.factor, b.length, b);
}

/**
 * Held-out predictions of every training position for one label: ŷ₋g = y_g − (I − H_gg)⁻¹(y_g − ŷ_g).
 * `labels` and `fitted` are per training position.
 */
export function heldOutScores(h: HoldOut, labels: ArrayLike<number>, fitted: Float64Array): Float64Array {
  const out = new Float64Array(fitted.length);
  h.groups.forEach((g, gi) => {
    const m = g.length;
    const e = new Float64Array(m);
    for (let k = 0; k < m; k++) e[k] = labels[g[k]!]! - fitted[g[k]!]!;
    const r = solveCholesky(h.groupFactors[gi]!, m, e);
    for (let k = 0; k < m; k++) out[g[k]!] = labels[g[k]!]! - r[k]!;
  });
  return out;
}
