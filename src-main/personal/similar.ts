// Tracks that sound alike: the nearest neighbours of a track's embedding by cosine similarity,
// by brute force over the whole matrix. 100,000 tracks × 512 values is 51 M multiply-adds: about
// 15 ms with the WebAssembly SIMD kernel (simd-dots.ts), a few tens of milliseconds in the
// JavaScript loop below where that is unavailable (bench/personal measures both against the
// plain loop); an approximate index would add a structure to keep in step with the library for no
// visible gain at that size, and would miss neighbours.
import type { EmbeddingMatrix } from './embedding-matrix.ts';

export interface Neighbour {
  readonly trackId: number;
  /** Cosine similarity of the embeddings, −1…1 (the embeddings are non-negative: 0…1 in practice). */
  readonly similarity: number;
}

/** Dot product of every row with `query` (length dims), into `out`. */
export function dotAll(m: Pick<EmbeddingMatrix, 'data' | 'dims'>, query: Float32Array, out: Float32Array): Float32Array {
  const { data, dims } = m;
  const rows = out.length;
  let r = 0;
  // Four rows per pass: each query value is loaded once for four multiply-adds.
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * dims;
    const o1 = o0 + dims;
    const o2 = o1 + dims;
    const o3 = o2 + dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < dims; k++) {
      const q = query[k]!;
      s0 += data[o0 + k]! * q;
      s1 += data[o1 + k]! * q;
      s2 += data[o2 + k]! * q;
      s3 += data[o3 + k]! * q;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
  }
  for (; r < rows; r++) {
    const o = r * dims;
    let s = 0;
    for (let k = 0; k < dims; k++) s += data[o + k]! * query[k]!;
    out[r] = s;
  }
  return out;
}

/**
 * The `n` rows most similar to row `row` (itself left out), most similar first; ties by track id.
 * `skip` leaves out further rows (e.g. missing files).
 */
export function nearest(m: EmbeddingMatrix, row: number, n: number, skip?: (row: number) => boolean): Neighbour[] {
  const rows = m.trackIds.length;
  const query = m.data.subarray(row * m.dims, (row + 1) * m.dims);
  const qNorm = m.norms[row]!;
  const dots = new Float32Array(rows);
  if (m.kernel) m.kernel(query, dots);
  else dotAll(m, query, dots);
  // The best n so far, ascending, so the worst is at 0 and most rows are rejected by one compare.
  const best: { row: number; sim: number }[] = [];
  for (let r = 0; r < rows; r++) {
    if (r === row) continue;
    const denom = m.norms[r]! * qNorm;
    const sim = denom > 0 ? dots[r]! / denom : 0;
    if (best.length === n && sim <= best[0]!.sim) continue;
    if (skip?.(r)) continue;
    let i = 0;
    while (i < best.length && best[i]!.sim < sim) i++;
    best.splice(i, 0, { row: r, sim });
    if (best.length > n) best.shift();
  }
  return best.reverse().map((b) => ({ trackId: m.trackIds[b.row]!, similarity: Math.max(-1, Math.min(1, b.sim)) }));
}
