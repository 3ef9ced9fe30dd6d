// Persistence landscapes of a superlevel diagram (DESIGN.md "The analysis spec (version 1)"):
// each pair (b, d), b >= d, gives the tent t ↦ max(0, min(t − d, b − t)); λⱼ(t) is the j-th largest
// tent at t (0 when fewer than j tents are positive there). Sampled at
//   tᵢ = lo + i · ((hi − lo) / points),  i = 0 … points − 1   (evaluated in exactly this order,
// as numpy's `lo + np.arange(points) * ((hi - lo) / points)`, so the points are bit-identical).
// Layout: λ₁ at every point, then λ₂, …: value j·points + i is λ_{j+1}(tᵢ).
// This is the straightforward single-diagram form; landscape-batch.ts is the fast one for the
// network and is tested against this.
import { BettiError } from '../api/errors.ts';
import { PCNN_CONFIG, type LandscapeParams } from '../model/config.ts';

/** The sample points tᵢ of `params`. */
export function samplePoints(params: LandscapeParams): Float64Array {
  const t = new Float64Array(params.points);
  const step = (params.hi - params.lo) / params.points;
  for (let i = 0; i < params.points; i++) t[i] = params.lo + i * step;
  return t;
}

/** Throws invalid-request unless k and points are positive integers and lo < hi are finite. */
export function checkLandscapeParams(params: LandscapeParams): void {
  const { k, points, lo, hi } = params;
  const problems: string[] = [];
  if (!Number.isInteger(k) || k < 1) problems.push(`k must be a positive integer (got ${k})`);
  if (!Number.isInteger(points) || points < 1) problems.push(`points must be a positive integer (got ${points})`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) problems.push(`[lo, hi] must be finite with lo < hi (got [${lo}, ${hi}])`);
  if (problems.length > 0) {
    throw new BettiError('invalid-request', `landscape parameters: ${problems.join('; ')}`, {
      hint: `The network's values are ${JSON.stringify(PCNN_CONFIG.landscape)} (src-main/model/config.ts).`,
    });
  }
}

/** λ₁…λ_k of the diagram at the sample points: length k·points, λ₁ first. */
export function landscapes(pairs: readonly { readonly birth: number; readonly death: number }[], params: LandscapeParams = PCNN_CONFIG.landscape): Float64Array {
  checkLandscapeParams(params);
  const { k, points } = params;
  const t = samplePoints(params);
  const out = new Float64Array(k * points);
  const tents = new Float64Array(pairs.length);
  for (let i = 0; i < points; i++) {
    let positive = 0;
    for (const { birth, death } of pairs) {
      const tent = Math.min(t[i] - death, birth - t[i]);
      if (tent > 0) tents[positive++] = tent;
    }
    const sorted = tents.subarray(0, positive).sort(); // ascending; read from the end
    for (let j = 0; j < k && j < positive; j++) out[j * points + i] = sorted[positive - 1 - j];
  }
  return out;
}
