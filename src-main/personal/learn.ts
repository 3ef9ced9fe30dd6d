// `betti learn` / personal.learn: trains a personal tag model for every value of the chosen fields
// that enough analysed tracks carry, reports each one's cross-validated quality, stores them
// (with the solver they share) under the model version of the embeddings, and fills the review
// with the suggestions of those that reach the quality bar, labelled as personal.
import type { WriteSettings } from '../api/schemas/settings.ts';
import { normaliseTag } from '../analysis/suggestions.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { getModel } from '../library/db/queries/analysis.ts';
import { dropPendingPersonal, dropPendingPersonalExcept, putSolver, replaceModels, upsertPersonalSuggestions, type NewPersonalModel } from '../library/db/queries/personal.ts';
import { fieldForCategory } from '../tags/accepted.ts';
import { rowCount, type EmbeddingMatrix } from './embedding-matrix.ts';
import { readLabels, type ValueTracks } from './labels.ts';
import { NotEnoughAnalysedError } from './errors.ts';
import { suggestedRows } from './scoring.ts';
import { categoryOfField, writeTarget } from './suggestion-target.ts';
import type { QualityBar } from '../model/quality-bar.ts';
import { train, type ValueLabels } from './train.ts';

export interface ValueReport {
  field: string;
  value: string;
  /** Where its accepted suggestions are written. */
  writesTo: string;
  positives: number;
  negatives: number;
  cvRocAuc: number | null;
  cvPrecision: number | null;
  cvRecall: number | null;
  threshold: number | null;
  offered: boolean;
  reason: string;
  /** Pending suggestions it made (offered values only). */
  suggestions: number;
}

export interface LearnReport {
  modelVersion: string;
  tracks: number;
  fields: string[];
  lambda: number | null;
  values: ValueReport[];
  /** Values seen on too few tracks to be listed one by one. */
  rareValues: number;
  offered: number;
  suggestions: number;
  timing: { totalMs: number; gramMs: number; holdOutMs: number; valuesMs: number };
}

/** Below this many tracks, cross-validation says nothing. */
export const MIN_TRACKS = 10;

export async function learn(db: LibraryDb, matrix: EmbeddingMatrix | undefined, settings: WriteSettings, fields: readonly string[], bar: QualityBar, now = Date.now()): Promise<LearnReport> {
  const t0 = performance.now();
  const n = matrix ? rowCount(matrix) : 0;
  if (!matrix || n < MIN_TRACKS) throw new NotEnoughAnalysedError(n, MIN_TRACKS);
  const labels = readLabels(db, matrix, fields, settings.id3v23Separator);
  // A value the shipped model already suggests into the same field needs no personal model.
  const shipped = new Map<string, string>();
  for (const t of getModel(db, matrix.modelVersion)?.tags ?? []) shipped.set(normaliseTag(t.tag), fieldForCategory(t.category, settings));

  const candidates: { field: string; key: string; v: ValueTracks; labels: ValueLabels }[] = [];
  const reports: ValueReport[] = [];
  let rareValues = 0;
  const listFrom = Math.max(2, Math.ceil(bar.minPositives / 2));
  for (const field of fields) {
    const writesTo = writeTarget(field, settings.customField);
    for (const [key, v] of labels.fields.get(field)!) {
      const accepted = v.decided.filter((d) => d.positive).map((d) => d.row);
      const positives = Int32Array.from(new Set([...v.fileRows, ...accepted])).sort();
      const base = { field, value: v.value, writesTo, positives: positives.length, negatives: n - positives.length, cvRocAuc: null, cvPrecision: null, cvRecall: null, threshold: null, offered: false, suggestions: 0 };
      if (shipped.get(key) === writesTo) {
        reports.push({ ...base, reason: "Betti's shipped model already suggests this tag" });
      } else if (positives.length < bar.minPositives) {
        if (positives.length >= listFrom) reports.push({ ...base, reason: `only ${positives.length} tracks have it (at least ${bar.minPositives} needed)` });
        else rareValues += 1;
      } else if (n - positives.length < bar.minPositives) {
        reports.push({ ...base, reason: `only ${n - positives.length} analysed tracks lack it: nothing to tell it from` });
      } else {
        candidates.push({ field, key, v, labels: { field, value: v.value, valueKey: key, positives, confirmed: v.decided } });
      }
    }
  }

  const result = candidates.length > 0 ? await train(matrix.data, matrix.dims, labels.groupKeys, candidates.map((c) => c.labels), bar) : undefined;
  let total = 0;
  const models: NewPersonalModel[] = [];
  const offeredTags = new Set<string>();
  db.transaction(() => {
    if (result) {
      putSolver(db, {
        modelVersion: matrix.modelVersion,
        dims: matrix.dims,
        lambda: result.lambda,
        mean: result.standardisation.mean,
        scale: result.standardisation.scale,
        normalMatrix: result.normalMatrix,
        trackIds: matrix.trackIds,
        leverages: Float32Array.from(result.leverages),
        trainedAt: now,
        scoredAt: now,
      });
    }
    result?.values.forEach((t, k) => {
      const c = candidates[k]!;
      const writesTo = writeTarget(c.field, settings.customField);
      const category = categoryOfField(c.field);
      let made = 0;
      if (t.offered) {
        // Candidates: tracks without the value and without a decision about it.
        const excluded = new Set<number>([...t.labels.positives, ...t.labels.confirmed.map((d) => d.row)]);
        const rows: number[] = [];
        for (let r = 0; r < n; r++) if (!excluded.has(r)) rows.push(r);
        const picked = suggestedRows(matrix, rows, { weights: t.weights, calibration: t.calibration, threshold: t.threshold }, result.standardisation, result.leverages);
        const suggestions = picked.map((p) => ({ trackId: matrix.trackIds[p.row]!, confidence: p.probability }));
        upsertPersonalSuggestions(db, category, writesTo, c.v.value, suggestions, now);
        dropPendingPersonal(
          db,
          category,
          [c.v.value],
          suggestions.map((s) => s.trackId),
        );
        offeredTags.add(c.v.value);
        made = suggestions.length;
        total += made;
      }
      reports.push({
        field: c.field,
        value: c.v.value,
        writesTo,
        positives: t.positives,
        negatives: t.negatives,
        cvRocAuc: t.cvRocAuc,
        cvPrecision: t.cvPrecision,
        cvRecall: t.cvRecall,
        threshold: t.threshold,
        offered: t.offered,
        reason: t.reason,
        suggestions: made,
      });
      models.push({
        modelVersion: matrix.modelVersion,
        field: c.field,
        value: c.v.value,
        valueKey: c.key,
        positives: t.positives,
        negatives: t.negatives,
        cvRocAuc: t.cvRocAuc,
        cvPrecision: t.cvPrecision,
        cvRecall: t.cvRecall,
        threshold: t.threshold,
        calibrationSlope: t.calibration.slope,
        calibrationOffset: t.calibration.offset,
        offered: t.offered,
        reason: t.reason,
        trainedAt: now,
        numbers: t.offered ? { weights: t.weights, targets: t.targets, positiveIds: Int32Array.from(t.labels.positives, (r) => matrix.trackIds[r]!) } : null,
      });
    });
    replaceModels(db, matrix.modelVersion, fields, models);
    // Pending suggestions of values these fields no longer offer go; decided ones stay.
    dropPendingPersonalExcept(db, fields.map(categoryOfField), [...offeredTags]);
  });
  reports.sort((a, b) => Number(b.offered) - Number(a.offered) || a.field.localeCompare(b.field) || (b.cvRocAuc ?? -1) - (a.cvRocAuc ?? -1) || b.positives - a.positives);
  return {
    modelVersion: matrix.modelVersion,
    tracks: n,
    fields: [...fields],
    lambda: result?.lambda ?? null,
    values: reports,
    rareValues,
    offered: reports.filter((r) => r.offered).length,
    suggestions: total,
    timing: { totalMs: performance.now() - t0, gramMs: result?.timing.gramMs ?? 0, holdOutMs: result?.timing.holdOutMs ?? 0, valuesMs: result?.timing.valuesMs ?? 0 },
  };
}
