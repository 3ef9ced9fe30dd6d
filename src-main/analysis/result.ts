// One track's stored analysis as the inspector reads it (analysis.result): every tag with its
// confidence, threshold, whether it clears the quality bar and whether the file already has it;
// each window's probabilities; and the pictures, their bytes as base64, with the spectrogram's
// block of columns per window.
import { BettiError } from '../api/errors.ts';
import type { AnalysisResult } from '../api/schemas/analysis.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { getAnalysis, getDisplay, getModel, getQueueRow } from '../library/db/queries/analysis.ts';
import { getTrackById } from '../library/db/queries/tracks.ts';
import { pictureWindows } from '../model/display.ts';
import type { ModelTag } from '../model/model-files.ts';
import { modelTagVerdict } from '../model/quality-bar.ts';
import { loadSettings } from '../tags/settings.ts';
import { clearsThreshold, exclusiveCategories, fileTagValues, normaliseTag, suggestionsFrom } from './suggestions.ts';

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

export function trackAnalysisResult(db: LibraryDb, trackId: number): AnalysisResult {
  const track = getTrackById(db, trackId);
  if (!track) throw new BettiError('not-found', `There is no track ${trackId} in the library.`, { hint: 'List tracks with `betti library`.' });
  const queued = getQueueRow(db, trackId);
  const analysis = queued && getAnalysis(db, queued);
  if (!queued || !analysis) {
    const why = queued?.state === 'failed' ? `its analysis failed: ${queued.error?.message ?? 'unknown error'}` : 'it has not been analysed yet';
    throw new BettiError('not-found', `${track.path}: ${why}.`, { path: track.path, hint: queued?.state === 'failed' ? 'Run `betti analyze --retry-failed` to try again.' : 'Run `betti analyze`.' });
  }
  const model = getModel(db, analysis.modelVersion);
  if (!model || model.tags.length !== analysis.confidences.length) {
    throw new BettiError('internal', `${track.path}: the analysis names model ${analysis.modelVersion}, whose tag list is not recorded`, { path: track.path, hint: 'Run `betti analyze` again.' });
  }
  const inFile = fileTagValues(track, loadSettings(db).write);
  const n = model.tags.length;
  const insteadOf = rivals(model.tags, analysis.confidences, inFile);
  const display = getDisplay(db, analysis.id);
  const windows = Array.from(analysis.windowOffsets, (offset, w) => ({ offset, duration: analysis.windowDurations[w]! }));
  return {
    trackId,
    path: track.path,
    modelVersion: analysis.modelVersion,
    specVersion: analysis.specVersion,
    backend: analysis.backend,
    durationSec: analysis.durationSec,
    analysedAt: analysis.analysedAt,
    tags: model.tags.map((t, i) => ({
      tag: t.tag,
      category: t.category,
      threshold: t.threshold,
      confidence: analysis.confidences[i]!,
      aboveThreshold: analysis.confidences[i]! >= t.threshold,
      ...modelTagVerdict(t.valid),
      inFile: inFile.has(normaliseTag(t.tag)),
      instead: insteadOf.get(t.tag) ?? null,
    })),
    windows: windows.map((w, i) => ({ ...w, probabilities: Array.from(analysis.windowProbabilities.subarray(i * n, (i + 1) * n)) })),
    display: display
      ? {
          logMel: {
            shape: [display.logMel.frames, display.logMel.bands],
            min: display.logMel.min,
            max: display.logMel.max,
            base64: base64(display.logMel.data),
            times: Array.from(display.logMel.times),
            windows: pictureWindows(display.logMel.times, windows),
          },
          landscapes: { shape: display.landscapes.shape, min: display.landscapes.min, max: display.landscapes.max, base64: base64(display.landscapes.data) },
        }
      : null,
  };
}

/**
 * For each tag of an exclusive category that would be suggested on its own (above threshold, clearing
 * the quality bar, not in the file) but is not, the rival in its way: the category's tag the file
 * holds, else the one suggested instead (suggestionsFrom's rule).
 */
function rivals(tags: readonly ModelTag[], confidences: Float32Array, inFile: ReadonlySet<string>): Map<string, string> {
  const exclusive = exclusiveCategories(tags);
  const chosen = new Map(suggestionsFrom(confidences, tags, inFile).map((s) => [s.category, s.tag]));
  const out = new Map<string, string>();
  tags.forEach((t, i) => {
    const group = exclusive.get(t.category);
    if (!group || inFile.has(normaliseTag(t.tag)) || !clearsThreshold(t, confidences[i]!)) return;
    const held = tags.find((o) => o.category === t.category && inFile.has(normaliseTag(o.tag)));
    const rival = held?.tag ?? chosen.get(t.category);
    if (rival !== undefined && rival !== t.tag) out.set(t.tag, rival);
  });
  return out;
}
