// A personal model's suggestions: each candidate track's probability of carrying the value, and
// the tracks at or above the model's threshold. A track the model was trained on (as a negative:
// it lacks the value) is scored as if it had been left out, (ŷ − h·y)/(1 − h) with y = 0, using
// its stored leverage h: with 512 dimensions a ridge model partly memorises its training tracks,
// and scoring them in-sample would hide exactly the untagged tracks that look like the tagged ones.
import type { PersonalSolver } from '../library/db/queries/personal.ts';
import { probability, type Calibration } from './calibration.ts';
import type { EmbeddingMatrix } from './embedding-matrix.ts';
import { rawLinear, scoreRows, type Standardisation } from './ridge.ts';

export interface ScoringModel {
  readonly weights: Float64Array;
  readonly calibration: Calibration;
  readonly threshold: number;
}

/** Leverage of each matrix row under the solver (NaN: not a training track). */
export function leveragesByRow(matrix: EmbeddingMatrix, solver: Pick<PersonalSolver, 'trackIds' | 'leverages'>): Float64Array {
  const out = new Float64Array(matrix.trackIds.length).fill(Number.NaN);
  // Both id lists ascend: one merge.
  let j = 0;
  const ids = solver.trackIds;
  for (let r = 0; r < matrix.trackIds.length; r++) {
    const id = matrix.trackIds[r]!;
    while (j < ids.length && ids[j]! < id) j++;
    if (j < ids.length && ids[j] === id) out[r] = solver.leverages[j]!;
  }
  return out;
}

/** Probabilities of `rows` (matrix rows of tracks without the value). */
export function candidateProbabilities(matrix: EmbeddingMatrix, rows: ArrayLike<number>, model: ScoringModel, s: Standardisation, leverages: Float64Array): Float64Array {
  const scores = scoreRows(matrix.data, rawLinear(model.weights, s), rows);
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const h = leverages[rows[k]!]!;
    const sc = Number.isNaN(h) ? scores[k]! : scores[k]! / (1 - h);
    out[k] = probability(model.calibration, sc);
  }
  return out;
}

/** The rows at or above the model's threshold, with their probability. */
export function suggestedRows(matrix: EmbeddingMatrix, rows: ArrayLike<number>, model: ScoringModel, s: Standardisation, leverages: Float64Array): { row: number; probability: number }[] {
  const p = candidateProbabilities(matrix, rows, model, s, leverages);
  const out: { row: number; probability: number }[] = [];
  for (let k = 0; k < rows.length; k++) if (p[k]! >= model.threshold) out.push({ row: rows[k]!, probability: p[k]! });
  return out;
}
