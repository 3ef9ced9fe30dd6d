// The network's first layer (conv over 8 frames × all bands, ReLU, max-pool along time) on one
// window, in plain JS, for the inspector: the persistence diagram of one channel in one segment
// needs the activations themselves, which the tfjs forward pass (network.ts) consumes inside its
// tidy and never returns. Only the steps of the asked-for segment are computed (≈ 8 M
// multiply-adds), from the same weights, with the same layout (kernel [frames, bands, filters],
// input [frames, bands] standardised), so its landscapes agree with the stored ones
// (test/api/inspector.test.ts checks that against a real analysis).
import type { LayerConfig } from './model-files.ts';

export interface FrontEndWeights {
  /** [frames, bands, filters], row-major. */
  kernel: Float32Array;
  /** [filters] */
  bias: Float32Array;
}

/**
 * The pooled activations of `channel` over the steps of `segment`: steps = config.segment.steps
 * values, step i being max over the pool of ReLU(conv) at frames (first + i) · pool + p.
 * `input` is one standardised window, frames × bands.
 */
export function segmentActivations(config: LayerConfig, weights: FrontEndWeights, input: Float32Array, frames: number, segment: number, channel: number): Float64Array {
  const { frames: span, bands, filters, poolTime: pool } = config.frontEnd;
  const { steps, stride } = config.segment;
  if (channel < 0 || channel >= filters) throw new RangeError(`channel ${channel} is outside 0 … ${filters - 1}`);
  if (input.length !== frames * bands) throw new RangeError(`${input.length} values do not fill ${frames} frames × ${bands} bands`);
  const firstStep = segment * stride;
  const lastFrame = (firstStep + steps) * pool - 1 + span - 1;
  if (segment < 0 || lastFrame >= frames) throw new RangeError(`segment ${segment} needs frames up to ${lastFrame}; the window has ${frames}`);
  const out = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    let best = 0; // ReLU: nothing below zero survives, so 0 is the pool's floor
    for (let p = 0; p < pool; p++) {
      const t = (firstStep + i) * pool + p;
      let acc = weights.bias[channel]!;
      for (let dt = 0; dt < span; dt++) {
        const row = (t + dt) * bands;
        const krow = dt * bands * filters + channel;
        for (let b = 0; b < bands; b++) acc += input[row + b]! * weights.kernel[krow + b * filters]!;
      }
      if (acc > best) best = acc;
    }
    out[i] = Math.fround(best);
  }
  return out;
}
