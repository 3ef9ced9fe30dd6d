// What the inspector draws for a track: its log-mel spectrogram shrunk to at most a few hundred
// columns and quantised to bytes (a picture, not data for the network), with the time of each
// column so the analysis windows can be marked on it.
import type { LogMel } from '../features/logmel.ts';
import { FEATURE_SPEC } from '../features/spec.ts';

export const DISPLAY_MAX_COLUMNS = 512;

export interface SpectrogramPicture {
  readonly columns: number;
  readonly bands: number;
  /** Seconds from the start of the track at the centre of each column. */
  readonly times: number[];
  /** Log-mel values mapped to 0 … 255 = min … max below; row-major columns × bands, band 0 lowest. */
  readonly values: number[];
  readonly min: number;
  readonly max: number;
}

/** The mean of each run of ⌈frames / maxColumns⌉ frames, quantised to 0 … 255. */
export function spectrogramPicture(mel: LogMel, maxColumns = DISPLAY_MAX_COLUMNS): SpectrogramPicture {
  const { frames, bands, data } = mel;
  const per = Math.max(1, Math.ceil(frames / maxColumns));
  const columns = Math.ceil(frames / per);
  const mean = new Float64Array(columns * bands);
  const times: number[] = [];
  const frameSec = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate; // centred frames: frame t sits at t · hop
  for (let c = 0; c < columns; c++) {
    const from = c * per;
    const to = Math.min(frames, from + per);
    for (let t = from; t < to; t++) for (let b = 0; b < bands; b++) mean[c * bands + b] += data[t * bands + b];
    for (let b = 0; b < bands; b++) mean[c * bands + b] /= to - from;
    times.push(((from + to - 1) / 2) * frameSec);
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
  return { columns, bands, times, values, min, max };
}
