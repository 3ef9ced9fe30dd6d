// Turns the model's TrackPrediction (model/predict.ts: plain arrays, easy to print) into the
// compact TrackAnalysis the worker sends and the cache stores: Float32 arrays in the model's tag
// order, and the pictures quantised to bytes. Runs in the worker, so the main thread only stores.
import type { LoadedModel } from '../model/load.ts';
import type { TrackPrediction } from '../model/predict.ts';
import type { QuantizedArray, TrackAnalysis } from './protocol.ts';

/** Bytes for values in [min, max]: byte = round((v − min) / (max − min) · 255). */
export function quantize(values: ArrayLike<number>, shape: number[]): QuantizedArray {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) min = max = 0;
  const span = max - min;
  const data = new Uint8Array(values.length);
  if (span > 0) for (let i = 0; i < values.length; i++) data[i] = Math.round(((values[i]! - min) / span) * 255);
  return { shape, min, max, data };
}

/** The value a quantised byte stands for. */
export function dequantize(q: Pick<QuantizedArray, 'min' | 'max'>, byte: number): number {
  return q.min + (byte / 255) * (q.max - q.min);
}

/**
 * Landscapes as one [windows, segments, channels, k, points] block. Every window of a track has
 * the same length and so the same segments; a window with fewer (none in practice) is padded with 0.
 */
function landscapeBlock(display: NonNullable<TrackPrediction['display']>): QuantizedArray {
  const { channels, k, points } = display.landscapeShape;
  const size = channels * k * points;
  const windows = display.landscapes.length;
  const segments = Math.max(0, ...display.landscapes.map((w) => w.length));
  const flat = new Float32Array(windows * segments * size);
  display.landscapes.forEach((w, wi) => w.forEach((seg, si) => flat.set(seg, (wi * segments + si) * size)));
  return quantize(flat, [windows, segments, channels, k, points]);
}

export function encodePrediction(model: Pick<LoadedModel, 'specVersion' | 'tags'>, p: TrackPrediction): TrackAnalysis {
  const tags = model.tags.map((t) => t.tag);
  const windows = p.perWindow.length;
  const windowProbabilities = new Float32Array(windows * tags.length);
  p.perWindow.forEach((w, i) => windowProbabilities.set(w.probabilities, i * tags.length));
  const d = p.display;
  return {
    modelVersion: p.modelVersion,
    specVersion: model.specVersion,
    backend: p.backend,
    durationSec: p.durationSec,
    confidences: Float32Array.from(tags, (t) => p.tags[t] ?? Number.NaN),
    windowOffsets: Float32Array.from(p.perWindow, (w) => w.offset),
    windowDurations: Float32Array.from(p.perWindow, (w) => w.duration),
    windowProbabilities,
    embedding: Float32Array.from(p.embedding),
    display: d
      ? {
          logMel: { shape: [d.logMel.columns, d.logMel.bands], min: d.logMel.min, max: d.logMel.max, data: Uint8Array.from(d.logMel.values) },
          logMelTimes: Float32Array.from(d.logMel.times),
          landscapes: landscapeBlock(d),
        }
      : null,
    timing: { decodeMs: p.timing.decodeMs, logMelMs: p.timing.logMelMs, convMs: p.timing.convMs, landscapeMs: p.timing.landscapeMs, restMs: p.timing.restMs },
  };
}
