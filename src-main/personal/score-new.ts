// Tracks analysed after the last learning run get their personal suggestions when the analysis
// stops (personal handlers listen for it): every offered model of the embeddings' version scores
// the tracks finished since the solver's `scored_at`, skipping tracks whose file already carries
// the value or whose suggestion a person already decided.
import type { WriteSettings } from '../api/schemas/settings.ts';
import type { LibraryDb } from '../library/db/open.ts';
import {
  getSolver,
  offeredModels,
  prevalentModelVersion,
  personalDecisions,
  personalTags,
  setSolverScoredAt,
  trackFieldSources,
  tracksAnalysedSince,
  upsertPersonalSuggestions,
} from '../library/db/queries/personal.ts';
import { normaliseTag } from '../analysis/suggestions.ts';
import { rowOf, type EmbeddingMatrix } from './embedding-matrix.ts';
import { sourceOf, valuesOf } from './field-values.ts';
import { leveragesByRow, suggestedRows } from './scoring.ts';
import { categoryOfField, writeTarget } from './suggestion-target.ts';

/** Scores the newly analysed tracks; returns how many suggestions it made. */
export function scoreNewTracks(db: LibraryDb, matrixOf: () => EmbeddingMatrix | undefined, settings: WriteSettings, now = Date.now()): number {
  // The cheap checks first: most runs end with no personal model learned, or nothing new.
  const modelVersion = prevalentModelVersion(db);
  const solver = modelVersion === undefined ? undefined : getSolver(db, modelVersion);
  if (!solver) return 0;
  const ids = tracksAnalysedSince(db, solver.modelVersion, solver.scoredAt);
  const models = offeredModels(db, solver.modelVersion);
  if (ids.length === 0 || models.length === 0) return 0;
  const matrix = matrixOf();
  if (!matrix || matrix.modelVersion !== solver.modelVersion || solver.dims !== matrix.dims) return 0;
  let made = 0;
  {
    const fields = [...new Set(models.map((m) => m.field))];
    const sources = trackFieldSources(db, { raw: fields.some((f) => sourceOf(f) === 'native'), ids });
    const leverages = leveragesByRow(matrix, solver);
    const s = { mean: solver.mean, scale: solver.scale };
    db.transaction(() => {
      for (const m of models) {
        const category = categoryOfField(m.field);
        const spellings = personalTags(db, category).filter((t) => normaliseTag(t) === m.valueKey);
        const decided = new Set(personalDecisions(db, category, spellings).map((d) => d.trackId));
        const rows: number[] = [];
        for (const src of sources) {
          const row = rowOf(matrix, src.id);
          if (row < 0 || decided.has(src.id) || valuesOf(src, m.field, settings.id3v23Separator).has(m.valueKey)) continue;
          rows.push(row);
        }
        if (rows.length === 0 || m.threshold === null || m.calibrationSlope === null || m.calibrationOffset === null) continue;
        const picked = suggestedRows(matrix, rows, { weights: m.weights, calibration: { slope: m.calibrationSlope, offset: m.calibrationOffset }, threshold: m.threshold }, s, leverages);
        upsertPersonalSuggestions(
          db,
          category,
          writeTarget(m.field, settings.customField),
          m.value,
          picked.map((p) => ({ trackId: matrix.trackIds[p.row]!, confidence: p.probability })),
          now,
        );
        made += picked.length;
      }
    });
  }
  setSolverScoredAt(db, matrix.modelVersion, now);
  return made;
}
