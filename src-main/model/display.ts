// What the inspector draws for a track: the log-mels of the analysed windows — exactly what the
// network heard, nothing between them was decoded — side by side in time order, shrunk to at most
// a few hundred columns and quantised to bytes (a picture, not data for the network), with the time
// of each column and the block of columns each window fills, so the renderer draws every window as
// its own block on a true time axis instead of one image stretched over the track.
import type { LogMel } from '../features/logmel.ts';
import { FEATURE_SPEC } from '../features/spec.ts';

export const DISPLAY_MAX_COLUMNS = 512;

const FRAME_SEC = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate; // centred frames: frame t of a window sits at offset + t · hop

/** One analysed window in the picture: where it lies in the track and which columns show it. */
export interface PictureWindow {
  /** Seconds from the start of the track. */
  readonly offset: number;
  readonly duration: number;
  /** Its columns are firstColumn … firstColumn + columns − 1. */
  readonly firstColumn: number;
  readonly columns: number;
}

export interface SpectrogramPicture {
  readonly columns: number;
  readonly bands: number;
  /** Seconds from the start of the track at the centre of each column (rising). */
  readonly times: number[];
  /** Log-mel values mapped to 0 … 255 = min … max below; row-major columns × bands, band 0 lowest. */
  readonly values: number[];
  readonly min: number;
  readonly max: number;
  /** The windows in time order; the track between two of them is not in the picture. */
  readonly windows: PictureWindow[];
}

/** One window's log-mel and where the window lies in the track. */
export interface WindowLogMel {
  readonly offset: number;
  readonly duration: number;
  readonly mel: LogMel;
}

/** The fewest frames per column (the same in every window) that keeps the picture within `maxColumns`. */
function framesPerColumn(frameCounts: readonly number[], maxColumns: number): number {
  const total = frameCounts.reduce((a, b) => a + b, 0);
  let per = Math.max(1, Math.ceil(total / maxColumns));
  // A window's last column may be partial, so the windows can need a little more than total / per.
  while (frameCounts.reduce((a, f) => a + Math.ceil(f / per), 0) > maxColumns) per++;
  return per;
}

/**
 * The picture of the windows' log-mels. Each column is the mean of `per` consecutive frames of one
 * window (never of two windows), `per` the same everywhere so every block has the same time scale.
 * Windows without frames are left out.
 */
export function spectrogramPicture(windows: readonly WindowLogMel[], maxColumns = DISPLAY_MAX_COLUMNS): SpectrogramPicture {
  const pieces = windows.filter((w) => w.mel.frames > 0).sort((a, b) => a.offset - b.offset);
  const bands = pieces[0]?.mel.bands ?? 0;
  for (const w of pieces) if (w.mel.bands !== bands) throw new RangeError(`log-mel windows have ${bands} and ${w.mel.bands} bands; a picture needs one band count`);
  const per = framesPerColumn(
    pieces.map((w) => w.mel.frames),
    Math.max(1, maxColumns),
  );
  const columns = pieces.reduce((a, w) => a + Math.ceil(w.mel.frames / per), 0);
  const mean = new Float64Array(columns * bands);
  const times: number[] = [];
  const placed: PictureWindow[] = [];
  let c = 0;
  for (const { offset, duration, mel } of pieces) {
    const firstColumn = c;
    for (let from = 0; from < mel.frames; from += per, c++) {
      const to = Math.min(mel.frames, from + per);
      for (let t = from; t < to; t++) for (let b = 0; b < bands; b++) mean[c * bands + b] += mel.data[t * bands + b]!;
      for (let b = 0; b < bands; b++) mean[c * bands + b] /= to - from;
      times.push(offset + ((from + to - 1) / 2) * FRAME_SEC);
    }
    placed.push({ offset, duration, firstColumn, columns: c - firstColumn });
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of mean) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (columns === 0) min = max = 0;
  const span = max - min;
  const values = Array.from(mean, (v) => (span > 0 ? Math.round(((v - min) / span) * 255) : 0));
  return { columns, bands, times, values, min, max, windows: placed };
}

/**
 * Which columns of a stored picture show which analysed window, from each column's time (the store
 * keeps the times, not the blocks; times and offsets are Float32 there, hence half a frame of
 * slack). Columns rise in time and windows do not overlap, so each window's columns are
 * consecutive. A picture with a column outside every window — one of the whole track, as analyses
 * stored before pictures were cut to the windows have — is one block spanning all of it.
 */
export function pictureWindows(times: ArrayLike<number>, windows: readonly { offset: number; duration: number }[]): PictureWindow[] {
  const n = times.length;
  if (n === 0) return [];
  const slack = FRAME_SEC / 2;
  const sorted = [...windows].sort((a, b) => a.offset - b.offset);
  const counts = new Array<number>(sorted.length).fill(0);
  const firsts = new Array<number>(sorted.length).fill(-1);
  let w = -1;
  let inside = sorted.length > 0;
  for (let c = 0; c < n && inside; c++) {
    const t = times[c]!;
    while (w + 1 < sorted.length && sorted[w + 1]!.offset - slack <= t) w++;
    const win = sorted[w];
    if (!win || t >= win.offset + win.duration + slack || (c > 0 && t < times[c - 1]!)) inside = false;
    else {
      if (firsts[w] === -1) firsts[w] = c;
      counts[w]!++;
    }
  }
  if (inside) return sorted.flatMap((win, i) => (counts[i]! > 0 ? [{ offset: win.offset, duration: win.duration, firstColumn: firsts[i]!, columns: counts[i]! }] : []));
  const step = n > 1 ? (times[n - 1]! - times[0]!) / (n - 1) : FRAME_SEC;
  const offset = Math.max(0, times[0]! - step / 2);
  return [{ offset, duration: times[n - 1]! + step / 2 - offset, firstColumn: 0, columns: n }];
}
