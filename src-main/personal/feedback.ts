// Personal models learn from the person's decisions as they are made: accepting or rejecting a
// personal suggestion (a trigger records which values were decided, migration 0100) retrains
// just those values, incrementally. The normal matrix F₀ of the last learning run and each
// value's Aᵀy are stored, so a model with decisions is F₀ and b₀ plus one weighted row per decided
// track (weight CONFIRMED_WEIGHT, the person's label), solved again: milliseconds per value, with
// no pass over the library. The value's suggestions are then scored again. Tracks tagged or
// analysed since the last run join the models at the next `betti learn`.
import type { WriteSettings } from '../api/schemas/settings.ts';
import { normaliseTag } from '../analysis/suggestions.ts';
import type { LibraryDb } from '../library/db/open.ts';
import {
  clearFeedback,
  dropPendingPersonal,
  getModelByKey,
  getSolver,
  pendingFeedback,
  personalDecisions,
  personalTags,
  updateModelWeights,
  upsertPersonalSuggestions,
  type PersonalSolver,
} from '../library/db/queries/personal.ts';
import { cholesky, solveCholesky } from './linear-algebra.ts';
import { rowOf, type EmbeddingMatrix } from './embedding-matrix.ts';
import { leveragesByRow, suggestedRows } from './scoring.ts';
import { fieldOfCategory, writeTarget } from './suggestion-target.ts';
import { addRows, CONFIRMED_WEIGHT } from './train.ts';

export interface Retrained {
  field: string;
  value: string;
  /** Decisions the model now includes. */
  decisions: number;
  /** Its pending suggestions after rescoring. */
  suggestions: number;
}

function contains(sorted: Int32Array, id: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Retrains every model with decisions it has not learned from; returns what changed. */
export function applyFeedback(db: LibraryDb, matrixOf: () => EmbeddingMatrix | undefined, settings: WriteSettings, now = Date.now()): Retrained[] {
  const items = pendingFeedback(db);
  if (items.length === 0) return []; // the usual case (a model suggestion was decided): one tiny query
  const matrix = matrixOf();
  const solver = matrix && getSolver(db, matrix.modelVersion);
  const out: Retrained[] = [];
  if (matrix && solver && solver.dims === matrix.dims) {
    const leverages = leveragesByRow(matrix, solver);
    const seen = new Set<string>();
    for (const item of items) {
      const key = normaliseTag(item.tag);
      if (seen.has(`${item.category}\u0000${key}`)) continue;
      seen.add(`${item.category}\u0000${key}`);
      const done = retrainOne(db, matrix, solver, leverages, settings, item.category, key, now);
      if (done) out.push(done);
    }
  }
  // Without a model (none learned, or learned for another model version) there is nothing to
  // update now: the next `betti learn` reads every decision anyway.
  clearFeedback(db, items);
  return out;
}

function retrainOne(
  db: LibraryDb,
  matrix: EmbeddingMatrix,
  solver: PersonalSolver,
  leverages: Float64Array,
  settings: WriteSettings,
  category: string,
  key: string,
  now: number,
): Retrained | undefined {
  const field = fieldOfCategory(category);
  const model = getModelByKey(db, matrix.modelVersion, field, key);
  if (!model?.numbers || model.threshold === null || model.calibrationSlope === null || model.calibrationOffset === null) return undefined;
  const spellings = personalTags(db, category).filter((t) => normaliseTag(t) === key);
  const decisions = personalDecisions(db, category, spellings);
  const positives = model.numbers.positiveIds;
  const s = { mean: solver.mean, scale: solver.scale };
  // The learned system had every training track with weight 1 and its label then (y₀); a decided
  // track gets weight W and the person's label instead (a track new since then: weight W alone).
  const rows: { row: number; weight: number; target: number }[] = [];
  for (const d of decisions) {
    const row = rowOf(matrix, d.trackId);
    if (row < 0) continue; // no embedding now (removed, or analysed with another model)
    const trained = contains(solver.trackIds, d.trackId);
    const y0 = trained && contains(positives, d.trackId) ? 1 : 0;
    rows.push({ row, weight: CONFIRMED_WEIGHT - (trained ? 1 : 0), target: CONFIRMED_WEIGHT * (d.accepted ? 1 : 0) - (trained ? y0 : 0) });
  }
  const p = solver.dims + 1;
  const system = addRows(solver.normalMatrix, model.numbers.targets, matrix.data, s, rows);
  const weights = solveCholesky(cholesky(system.f, p), p, system.b);
  updateModelWeights(db, model.id, weights, decisions.length, now);

  const excluded = new Set<number>([...positives, ...decisions.map((d) => d.trackId)]);
  const candidates: number[] = [];
  for (let r = 0; r < matrix.trackIds.length; r++) if (!excluded.has(matrix.trackIds[r]!)) candidates.push(r);
  const picked = suggestedRows(matrix, candidates, { weights, calibration: { slope: model.calibrationSlope, offset: model.calibrationOffset }, threshold: model.threshold }, s, leverages);
  const suggestions = picked.map((x) => ({ trackId: matrix.trackIds[x.row]!, confidence: x.probability }));
  db.transaction(() => {
    upsertPersonalSuggestions(db, category, writeTarget(field, settings.customField), model.value, suggestions, now);
    dropPendingPersonal(
      db,
      category,
      [model.value],
      suggestions.map((x) => x.trackId),
    );
  });
  return { field, value: model.value, decisions: decisions.length, suggestions: suggestions.length };
}
