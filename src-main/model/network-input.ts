// From raw log-mel (features/logmel.ts) to the network's input, exactly as the trainer does it
// (training/pcnn/data.py): the short-input rule, then per-band standardisation in float32.
import type { LogMel } from '../features/logmel.ts';

/**
 * THE SHORT-INPUT RULE (EXPORT_FORMAT.md, data.py `fit_to_min_frames`): a log-mel shorter than
 * `minFrames` is looped, frame i of the result being frame i mod n, up to exactly minFrames
 * frames; a long enough one is returned as it is.
 */
export function loopToMinFrames(mel: LogMel, minFrames: number): LogMel {
  if (mel.frames >= minFrames) return mel;
  if (mel.frames === 0) throw new RangeError('loopToMinFrames: a log-mel with no frames cannot be looped');
  const row = mel.bands;
  const data = new Float32Array(minFrames * row);
  for (let i = 0; i < minFrames; i++) data.set(mel.data.subarray((i % mel.frames) * row, ((i % mel.frames) + 1) * row), i * row);
  return { frames: minFrames, bands: mel.bands, data };
}

/**
 * (x − mean) / std per band, each step rounded to float32 as numpy's float32 arithmetic does, so
 * the network sees bit-identical input to the trainer's. Writes into `out` at `offset` when given.
 */
export function standardise(mel: LogMel, mean: Float32Array, std: Float32Array, out?: Float32Array, offset = 0): Float32Array {
  const { frames, bands, data } = mel;
  if (mean.length !== bands || std.length !== bands) throw new RangeError(`standardise: ${bands} bands, but ${mean.length} means and ${std.length} deviations`);
  const target = out ?? new Float32Array(frames * bands);
  for (let t = 0; t < frames; t++) {
    const row = t * bands;
    for (let b = 0; b < bands; b++) target[offset + row + b] = Math.fround(data[row + b]! - mean[b]!) / std[b]!;
  }
  return target;
}
