// The analysis cache key (DESIGN.md "The database is the memory"): audio fingerprint + feature-spec
// version + model version. A moved, renamed, retagged or duplicated file has the same audio
// fingerprint, so its analysis is found, not recomputed; new audio, a new spec or a new model
// is a different key. Also the gate in front of the cache: a worker's output is checked
// against the model it claims before anything is stored.
import { BettiError } from '../api/errors.ts';
import { findAnalysisId, type AnalysisKey } from '../library/db/queries/analysis.ts';
import type { LibraryDb } from '../library/db/open.ts';
import type { ModelIdentity, TrackAnalysis } from './protocol.ts';

export type { AnalysisKey } from '../library/db/queries/analysis.ts';

/** Length of the network's embedding (DESIGN.md: the head's 512 units). */
export const EMBEDDING_SIZE = 512;

/**
 * The audio's identity: its fingerprint; for the rare file the scan read but could not fingerprint
 * (a container without a payload locator), its size, mtime and path, so a change is still noticed.
 */
export function contentKeyOf(t: { fingerprint: string | null; size: number; mtimeMs: number; path: string }): string {
  return t.fingerprint ?? `file:${t.size}:${t.mtimeMs}:${t.path}`;
}

export function analysisKeyOf(t: { fingerprint: string | null; size: number; mtimeMs: number; path: string }, model: { specVersion: string; modelVersion: string }): AnalysisKey {
  return { contentKey: contentKeyOf(t), specVersion: model.specVersion, modelVersion: model.modelVersion };
}

export function sameKey(a: AnalysisKey, b: AnalysisKey): boolean {
  return a.contentKey === b.contentKey && a.specVersion === b.specVersion && a.modelVersion === b.modelVersion;
}

/** The id of the stored analysis for this key, if there is one. */
export function cachedAnalysis(db: LibraryDb, key: AnalysisKey): number | undefined {
  return findAnalysisId(db, key);
}

function finiteIn(a: Float32Array, lo: number, hi: number): boolean {
  for (const v of a) if (!(v >= lo && v <= hi)) return false;
  return true;
}

/** Refuses a worker output that does not match the model it was computed with (never cache a wrong shape). */
export function checkTrackAnalysis(a: TrackAnalysis, model: ModelIdentity, path: string): void {
  const problems: string[] = [];
  const tags = model.tags.length;
  const windows = a.windowOffsets.length;
  if (a.modelVersion !== model.modelVersion || a.specVersion !== model.specVersion) {
    problems.push(`computed with ${a.modelVersion} (${a.specVersion}), expected ${model.modelVersion} (${model.specVersion})`);
  }
  if (windows < 1 || a.windowDurations.length !== windows) problems.push(`${windows} window offsets and ${a.windowDurations.length} durations`);
  if (a.confidences.length !== tags) problems.push(`${a.confidences.length} confidences for ${tags} tags`);
  if (a.windowProbabilities.length !== windows * tags) problems.push(`${a.windowProbabilities.length} window probabilities for ${windows} windows × ${tags} tags`);
  if (a.embedding.length !== EMBEDDING_SIZE) problems.push(`an embedding of ${a.embedding.length} values, not ${EMBEDDING_SIZE}`);
  if (!finiteIn(a.confidences, 0, 1) || !finiteIn(a.windowProbabilities, 0, 1)) problems.push('probabilities outside [0, 1]');
  if (!(Number.isFinite(a.durationSec) && a.durationSec > 0)) problems.push(`duration ${a.durationSec}`);
  if (a.display && a.display.logMelTimes.length !== (a.display.logMel.shape[0] ?? -1)) problems.push('log-mel frames and times differ in length');
  if (problems.length > 0) {
    throw new BettiError('internal', `the analysis of ${path} is malformed: ${problems.join('; ')}`, {
      path,
      hint: 'This is a bug in the analysis worker; please report it with the file.',
    });
  }
}
