// Messages between the scan's read pool (read-pool.ts) and its workers (read-worker.ts).
// Files travel in batches so the per-message cost is paid once per batch, not per file, and
// records come back encoded as table columns (cheap to copy between threads).
import type { EncodedTrack } from './db/queries/tracks.ts';

export interface ReadJob {
  path: string;
  size: number;
  mtimeMs: number;
}

export type ReadPoolRequest = { type: 'read'; batchId: number; jobs: ReadJob[] } | { type: 'shutdown' };

export type ReadPoolReply = { type: 'results'; batchId: number; records: EncodedTrack[] };
