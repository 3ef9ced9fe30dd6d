// personal.models: the models learned for the model version the library is analysed with, with
// their quality, where they write, the decisions they learned from and what they have pending.
import type { PersonalModels } from '../api/schemas/personal.ts';
import type { WriteSettings } from '../api/schemas/settings.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { countPendingPersonal, getSolver, listModels, prevalentModelVersion } from '../library/db/queries/personal.ts';
import { categoryOfField, writeTarget } from './suggestion-target.ts';

export function personalModels(db: LibraryDb, settings: WriteSettings): PersonalModels {
  const modelVersion = prevalentModelVersion(db) ?? null;
  const all = listModels(db);
  const solver = modelVersion === null ? undefined : getSolver(db, modelVersion);
  const others = new Map<string, number>();
  for (const m of all) if (m.modelVersion !== modelVersion) others.set(m.modelVersion, (others.get(m.modelVersion) ?? 0) + 1);
  return {
    modelVersion,
    trainedAt: solver?.trainedAt ?? null,
    tracks: solver?.trackIds.length ?? 0,
    models: all
      .filter((m) => m.modelVersion === modelVersion)
      .map((m) => ({
        field: m.field,
        value: m.value,
        writesTo: writeTarget(m.field, settings.customField),
        positives: m.positives,
        negatives: m.negatives,
        cvRocAuc: m.cvRocAuc,
        cvPrecision: m.cvPrecision,
        cvRecall: m.cvRecall,
        threshold: m.threshold,
        offered: m.offered,
        reason: m.reason,
        decisions: m.feedback,
        pendingSuggestions: m.offered ? countPendingPersonal(db, categoryOfField(m.field), m.value) : 0,
        retrainedAt: m.retrainedAt,
      })),
    otherVersions: [...others].map(([v, models]) => ({ modelVersion: v, models })),
  };
}
