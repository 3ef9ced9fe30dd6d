// Every analysed track's embedding (the PCNN's 512-unit head activations, averaged over windows,
// stored with each analysis) in one contiguous Float32Array, rows in track-id order: what track
// similarity scans and what personal tag models learn from. Loading 100,000 rows takes seconds,
// so one matrix is kept per service and reloaded only when the analyses may have changed: an
// analysis or scan event in this process, or a commit by another process (PRAGMA data_version).
import type { EventBus } from '../api/events.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { dataVersion, embeddingRows, prevalentModelVersion } from '../library/db/queries/personal.ts';
import { allocateMatrix, type DotKernel } from './simd-dots.ts';

export interface EmbeddingMatrix {
  readonly modelVersion: string;
  readonly dims: number;
  /** Track ids, ascending; row r holds trackIds[r]. */
  readonly trackIds: Int32Array;
  /** rows × dims, row-major. */
  readonly data: Float32Array;
  /** Euclidean norm of each row. */
  readonly norms: Float32Array;
  /** Dot products of every row with a query in WebAssembly SIMD (simd-dots.ts); absent: the JavaScript loop. */
  readonly kernel?: DotKernel | undefined;
}

export const rowCount = (m: EmbeddingMatrix): number => m.trackIds.length;

/** The row of a track (binary search), or −1 when it has no embedding here. */
export function rowOf(m: EmbeddingMatrix, trackId: number): number {
  let lo = 0;
  let hi = m.trackIds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = m.trackIds[mid]!;
    if (v === trackId) return mid;
    if (v < trackId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Reads the embeddings of every present track analysed with `modelVersion`. */
export function loadEmbeddingMatrix(db: LibraryDb, modelVersion: string, opts: { simd?: boolean } = {}): EmbeddingMatrix {
  const all = embeddingRows(db, modelVersion);
  const dims = all.length > 0 ? all[0]!.embedding.byteLength / 4 : 0;
  // Analyses are checked when stored (analysis/cache.ts); a row of another length is skipped, not trusted.
  const rows = all.filter((r) => r.embedding.byteLength === dims * 4);
  const trackIds = new Int32Array(rows.length);
  const { data, kernel } = allocateMatrix(rows.length, dims, opts);
  const norms = new Float32Array(rows.length);
  let n = 0;
  for (const r of rows) {
    const view = new DataView(r.embedding.buffer, r.embedding.byteOffset, r.embedding.byteLength);
    const o = n * dims;
    let sq = 0;
    for (let j = 0; j < dims; j++) {
      const v = view.getFloat32(j * 4, true);
      data[o + j] = v;
      sq += v * v;
    }
    trackIds[n] = r.trackId;
    norms[n] = Math.sqrt(sq);
    n += 1;
  }
  return { modelVersion, dims, trackIds, data, norms, kernel };
}

/** The service's one embedding matrix, reloaded when the analyses may have changed. */
export class EmbeddingCache {
  #matrix: EmbeddingMatrix | undefined;
  #version = -1;
  #stale = true;

  /**
   * Listens to this process's analysis and scan events. While an analysis runs the matrix is kept
   * (reloading 100,000 rows on every progress tick would stall similarity queries); it is
   * reloaded once the run stops, or at once for a track it lacks (see similar.ts).
   */
  constructor(bus?: EventBus) {
    bus?.on('analysis.progress', (p) => {
      if (p.state !== 'running') this.invalidate();
    });
    bus?.on('scan.progress', (p) => {
      if (p.phase === 'finish') this.invalidate();
    });
  }

  invalidate(): void {
    this.#stale = true;
  }

  /** The matrix of the model version most of the library is analysed with; undefined when nothing is analysed. */
  get(db: LibraryDb): EmbeddingMatrix | undefined {
    const version = dataVersion(db);
    if (this.#stale || version !== this.#version) {
      this.#stale = false;
      this.#version = version;
      const modelVersion = prevalentModelVersion(db);
      this.#matrix = modelVersion === undefined ? undefined : loadEmbeddingMatrix(db, modelVersion);
    }
    return this.#matrix;
  }
}
