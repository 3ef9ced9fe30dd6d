// similar.tracks: the tracks that sound most like one track, named by id or path, with what a
// person needs to recognise them; and, when the track has no embedding to compare, why not.
import { BettiError } from '../api/errors.ts';
import type { SimilarResult } from '../api/schemas/personal.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { getQueueRow } from '../library/db/queries/analysis.ts';
import { trackExists, trackIdByPath, trackSummaries } from '../library/db/queries/personal.ts';
import { rowOf, type EmbeddingCache } from './embedding-matrix.ts';
import { NoEmbeddingError } from './errors.ts';
import { nearest } from './similar.ts';

function resolveTrack(db: LibraryDb, ref: { trackId?: number | undefined; path?: string | undefined }): { id: number; path: string; missing: boolean } {
  const id = ref.trackId ?? (ref.path === undefined ? undefined : trackIdByPath(db, ref.path));
  const found = id === undefined ? undefined : trackExists(db, id);
  if (id === undefined || !found) {
    const what = ref.path ?? `track ${ref.trackId}`;
    throw new BettiError('not-found', `There is no ${ref.path === undefined ? what : `track ${what}`} in the library.`, {
      ...(ref.path === undefined ? {} : { path: ref.path }),
      hint: 'List tracks with `betti library`; a file must be scanned (`betti scan <folder>`) before Betti knows it.',
    });
  }
  return { id, ...found };
}

/** Why a known track has no row in the matrix. */
function noEmbedding(db: LibraryDb, track: { id: number; path: string; missing: boolean }, modelVersion: string | undefined): NoEmbeddingError {
  if (track.missing) return new NoEmbeddingError(track.id, track.path, 'missing', 'the file was missing at the last scan');
  const q = getQueueRow(db, track.id);
  if (!q || q.state === 'pending' || q.state === 'running') return new NoEmbeddingError(track.id, track.path, 'not-analysed', 'it has not been analysed yet');
  if (q.state === 'failed') return new NoEmbeddingError(track.id, track.path, 'analysis-failed', `its analysis failed (${q.error?.message ?? 'no reason recorded'})`);
  return new NoEmbeddingError(track.id, track.path, 'other-model', `it was analysed with model ${q.modelVersion}, the rest of the library with ${modelVersion ?? 'none'}`);
}

export function similarTracks(db: LibraryDb, cache: EmbeddingCache, ref: { trackId?: number | undefined; path?: string | undefined }, n: number): SimilarResult {
  const track = resolveTrack(db, ref);
  let matrix = cache.get(db);
  let row = matrix ? rowOf(matrix, track.id) : -1;
  const q = row < 0 && !track.missing ? getQueueRow(db, track.id) : undefined;
  if (q?.state === 'done' && (!matrix || q.modelVersion === matrix.modelVersion)) {
    // Analysed since the matrix was loaded (an analysis is still running): load it again once.
    cache.invalidate();
    matrix = cache.get(db);
    row = matrix ? rowOf(matrix, track.id) : -1;
  }
  if (!matrix || row < 0) {
    const why = noEmbedding(db, track, matrix?.modelVersion);
    return {
      trackId: track.id,
      path: track.path,
      modelVersion: matrix?.modelVersion ?? null,
      searched: 0,
      searchMs: 0,
      tracks: [],
      unavailable: { reason: why.reason, message: why.message, hint: why.hint ?? '' },
    };
  }
  const t0 = performance.now();
  const found = nearest(matrix, row, n);
  const searchMs = performance.now() - t0;
  const info = new Map(trackSummaries(db, found.map((f) => f.trackId)).map((t) => [t.id, t]));
  return {
    trackId: track.id,
    path: track.path,
    modelVersion: matrix.modelVersion,
    searched: matrix.trackIds.length,
    searchMs,
    tracks: found.flatMap((f) => {
      const t = info.get(f.trackId);
      return t ? [{ trackId: f.trackId, path: t.path, title: t.title, artist: t.artist, album: t.album, durationS: t.durationS, similarity: f.similarity }] : [];
    }),
  };
}
