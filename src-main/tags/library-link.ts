// The tag writer's two touch points with the library: the state Betti last read a file in (the
// reference for "changed since read"), and refreshing the track after a write so the library
// stays true to the file.
import type { LibraryDb } from '../library/db/open.ts';
import { getTrackByPath, upsertTrack } from '../library/db/queries/tracks.ts';
import { readTrackFile } from '../library/read-track.ts';
import type { FileState } from './file-state.ts';

/** The state the library read the file in, when it knows the file and read it cleanly. */
export function libraryState(db: LibraryDb, path: string): FileState | undefined {
  const row = getTrackByPath(db, path);
  if (!row || row.missing || row.error || !row.fingerprint) return undefined;
  return { size: row.size, mtimeMs: row.mtimeMs, fingerprint: row.fingerprint };
}

/** Re-reads a file the library knows after Betti wrote it. Returns false when it is not in the library. */
export async function refreshLibraryTrack(db: LibraryDb, path: string): Promise<boolean> {
  if (!getTrackByPath(db, path)) return false;
  upsertTrack(db, await readTrackFile(path));
  return true;
}
