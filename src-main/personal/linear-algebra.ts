// The dense linear algebra the personal tag models need, on Float64Arrays (row-major), in plain
// TypeScript: a Gram matrix, Cholesky factorisation and triangular solves. Sizes are small (the
// 513 × 513 normal equations of a linear model on 512-value embeddings); the one large product is
// the Gram matrix over every track, computed in 4 × 4 register blocks over row panels, which runs
// about twice as fast as the plain triple loop in V8 (and faster than tfjs-wasm's matMul measured
// on the same machine).
import { BettiError } from '../api/errors.ts';

/** Rows of a panel: the panel is transposed into a column-major scratch buffer of PANEL × width. */
const PANEL = 64;

/**
 * XᵀX summed over rows added in slices (so a long sum can give the event loop turns between
 * them), in Float64, from a row-major matrix X (n × d, Float32 or Float64).
 */
export class GramAccumulator {
  readonly #d: number;
  readonly #dp: number;
  /** Padded to the block size; padding columns stay zero. Only blocks on and above the diagonal are summed. */
  readonly #g: Float64Array;
  readonly #panel: Float64Array;

  constructor(d: number) {
    this.#d = d;
    this.#dp = (d + 3) & ~3;
    this.#g = new Float64Array(this.#dp * this.#dp);
    this.#panel = new Float64Array(PANEL * this.#dp);
  }

  /** Adds rows from…to − 1 of x (or, with `rows`, those entries of it). */
  add(x: Float32Array | Float64Array, from: number, to: number, rows?: ArrayLike<number>): void {
    const d = this.#d;
    const dp = this.#dp;
    const g = this.#g;
    const panel = this.#panel;
    for (let r0 = from; r0 < to; r0 += PANEL) {
      const rb = Math.min(PANEL, to - r0);
      if (rb < PANEL) panel.fill(0);
      for (let r = 0; r < rb; r++) {
        const o = (rows ? rows[r0 + r]! : r0 + r) * d;
        for (let j = 0; j < d; j++) panel[j * PANEL + r] = x[o + j]!;
      }
      for (let i = 0; i < dp; i += 4) {
        const a0 = i * PANEL;
        const a1 = a0 + PANEL;
        const a2 = a1 + PANEL;
        const a3 = a2 + PANEL;
        for (let j = i; j < dp; j += 4) {
          const b0 = j * PANEL;
          const b1 = b0 + PANEL;
          const b2 = b1 + PANEL;
          const b3 = b2 + PANEL;
          let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
          let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
          for (let r = 0; r < rb; r++) {
            const x0 = panel[a0 + r]!;
            const x1 = panel[a1 + r]!;
            const x2 = panel[a2 + r]!;
            const x3 = panel[a3 + r]!;
            const y0 = panel[b0 + r]!;
            const y1 = panel[b1 + r]!;
            const y2 = panel[b2 + r]!;
            const y3 = panel[b3 + r]!;
            s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
            s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
            s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
            s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
          }
          let o = i * dp + j;
          g[o] += s00; g[o + 1] += s01; g[o + 2] += s02; g[o + 3] += s03; o += dp;
          g[o] += s10; g[o + 1] += s11; g[o + 2] += s12; g[o + 3] += s13; o += dp;
          g[o] += s20; g[o + 1] += s21; g[o + 2] += s22; g[o + 3] += s23; o += dp;
          g[o] += s30; g[o + 1] += s31; g[o + 2] += s32; g[o + 3] += s33;
        }
      }
    }
  }

  /** The d × d sum so far (the upper triangle mirrored). */
  result(): Float64Array {
    const d = this.#d;
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = this.#g[i * this.#dp + j]!;
        out[i * d + j] = v;
        out[j * d + i] = v;
      }
    }
    return out;
  }
}

/**
 * XᵀX (d × d) of the rows `rows` of a row-major matrix X (n × d, Float32 or Float64), summed in
 * Float64. `rows` picks and orders the rows (default: all).
 */
export function gram(x: Float32Array | Float64Array, d: number, rows?: ArrayLike<number>): Float64Array {
  const acc = new GramAccumulator(d);
  acc.add(x, 0, rows ? rows.length : x.length / d, rows);
  return acc.result();
}

/**
 * The lower-triangular L with A = L Lᵀ, for a symmetric positive-definite A (d × d, row-major;
 * only its lower triangle is read). Returns a new array; the upper triangle of L is zero.
 */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const lj = j * d;
    let diag = a[lj + j]!;
    for (let k = 0; k < j; k++) diag -= l[lj + k]! * l[lj + k]!;
    if (!(diag > 0)) {
      throw new BettiError('internal', `A personal tag model's normal equations are not positive definite (pivot ${j} is ${diag}).`, {
        hint: 'Run `betti learn` again; if it repeats, report it with `betti learn --json`.',
      });
    }
    const ljj = Math.sqrt(diag);
    l[lj + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const li = i * d;
      let s = a[li + j]!;
      for (let k = 0; k < j; k++) s -= l[li + k]! * l[lj + k]!;
      l[li + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L z = b for lower-triangular L (forward substitution); writes into `out` (may be b). */
export function forwardSolve(l: Float64Array, d: number, b: ArrayLike<number>, out: Float64Array = new Float64Array(d)): Float64Array {
  for (let i = 0; i < d; i++) {
    const li = i * d;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[li + k]! * out[k]!;
    out[i] = s / l[li + i]!;
  }
  return out;
}

/**
 * Solves L Z = B for m right-hand sides at once, in place: `b` holds the m vectors as rows
 * (m × d). Four vectors share each load of L, which makes the held-out pass over every track
 * (ridge.ts) about twice as fast as m separate substitutions.
 */
export function forwardSolveRows(l: Float64Array, d: number, b: Float64Array, m: number): Float64Array {
  let v = 0;
  for (; v + 4 <= m; v += 4) {
    const o0 = v * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    for (let i = 0; i < d; i++) {
      const li = i * d;
      let s0 = b[o0 + i]!;
      let s1 = b[o1 + i]!;
      let s2 = b[o2 + i]!;
      let s3 = b[o3 + i]!;
      for (let k = 0; k < i; k++) {
        const lik = l[li + k]!;
        s0 -= lik * b[o0 + k]!;
        s1 -= lik * b[o1 + k]!;
        s2 -= lik * b[o2 + k]!;
        s3 -= lik * b[o3 + k]!;
      }
      const lii = l[li + i]!;
      b[o0 + i] = s0 / lii;
      b[o1 + i] = s1 / lii;
      b[o2 + i] = s2 / lii;
      b[o3 + i] = s3 / lii;
    }
  }
  for (; v < m; v++) forwardSolve(l, d, b.subarray(v * d, (v + 1) * d), b.subarray(v * d, (v + 1) * d));
  return b;
}

/** Solves Lᵀ x = z for lower-triangular L (back substitution); writes into `out` (may be z). */
export function backSolve(l: Float64Array, d: number, z: ArrayLike<number>, out: Float64Array = new Float64Array(d)): Float64Array {
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * out[k]!;
    out[i] = s / l[i * d + i]!;
  }
  return out;
}

/** Solves A x = b given A's Cholesky factor L. */
export function solveCholesky(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const z = forwardSolve(l, d, b);
  return backSolve(l, d, z, z);
}
