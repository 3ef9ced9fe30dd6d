// The persistence branch of the PCNN, batched (DESIGN.md "The analysis spec (version 1)", step 2):
// activations [batch, steps, channels] → segments of `segment.steps` steps every `segment.stride`
// steps → per segment and channel, the diagram of persistence.ts (its header has the tie rule)
// and its landscapes as in landscape.ts. Built for the network's inner loop: one workspace per
// call, nothing allocated per segment, a 32-value insertion sort, a top-k insertion per point.
//
// Shapes and layout (the tfjs layer and training/pcnn/landscape.py follow them):
// - segments S = floor((steps − L) / stride) + 1 for steps >= L (L = segment.steps), else 0
//   (the window plan guarantees at least L steps); segment s covers steps s·stride … s·stride+L−1.
// - landscapes: Float32Array [batch, S, channels · k · points], channel-major within a segment:
//   value ((b·S + s)·channels + c)·k·points + j·points + i is λ_{j+1}(tᵢ) of channel c.
//
// Gradient routing. Each output value is 0 or exactly one side of one tent:
//   falling side  b − tᵢ  (sign +1, moves with the birth activation),
//   rising side   tᵢ − d  (sign −1, moves with the death activation),
// so   landscape[o] = sign[o] · (x[index[o]] − tᵢ)   wherever sign[o] ≠ 0,   and 0 elsewhere,
// with index[o] the flat index (b·steps + step)·channels + c into the activations. A graph
// framework can therefore compute the forward pass as a gather and get the backward for free;
// `landscapeBackward` is that backward, scattered by hand: ∂L/∂x[index[o]] += sign[o] · ∂L/∂y[o].
// Where the function has a kink the routing picks one side (a subgradient, like max-pooling):
//   - a tent exactly at its peak (tᵢ − d == b − tᵢ) takes the falling side (the birth);
//   - equal tents rank the pair with the LOWER birth index first (birth indices are unique
//     within a diagram, so this does not depend on the order pairs are listed in);
//   - a tent that is 0 at tᵢ (tᵢ <= d or tᵢ >= b) contributes nothing: index −1, sign 0.
import { BettiError } from '../api/errors.ts';
import { PCNN_CONFIG, type LandscapeParams, type SegmentParams } from '../model/config.ts';
import { checkLandscapeParams, samplePoints } from './landscape.ts';
import { NonFiniteValueError, Persistence0Workspace, diagramIndices } from './persistence.ts';

export interface ActivationShape {
  readonly batch: number;
  readonly steps: number;
  readonly channels: number;
}

export interface LandscapeRouting {
  /** Flat index into the activations of the activation each output value moves with; −1 where none. */
  readonly index: Int32Array;
  /** +1 falling side (the index is a birth), −1 rising side (a death), 0 where the value is 0. */
  readonly sign: Int8Array;
}

/** The landscapes alone: what inference needs. */
export interface LandscapeValues {
  /** [batch, segments, featureSize], layout in this file's header. */
  readonly landscapes: Float32Array;
  readonly batch: number;
  readonly segments: number;
  /** channels · k · points per segment. */
  readonly featureSize: number;
}

/** The landscapes and the routing of their gradient: what training needs. */
export interface LandscapeBatch extends LandscapeValues {
  readonly routing: LandscapeRouting;
}

export interface LandscapeBatchOptions {
  readonly segment?: SegmentParams;
  readonly landscape?: LandscapeParams;
  /** Buffers to fill instead of allocating (a training loop reuses them); lengths must match. */
  readonly out?: { readonly landscapes: Float32Array; readonly routing?: LandscapeRouting };
  /** false: the landscapes only, no gradient routing (inference has no backward pass). Default true. */
  readonly routing?: boolean;
}

/** Segments of `segment.steps` every `segment.stride` in a sequence of `steps`; 0 when too short. */
export function segmentCount(steps: number, segment: SegmentParams = PCNN_CONFIG.segment): number {
  return steps < segment.steps ? 0 : Math.floor((steps - segment.steps) / segment.stride) + 1;
}

function checkShape(length: number, shape: ActivationShape, what: string): void {
  const { batch, steps, channels } = shape;
  for (const [name, v] of Object.entries({ batch, steps, channels })) {
    if (!Number.isInteger(v) || v < 0) throw new BettiError('invalid-request', `${what}: ${name} must be a non-negative integer (got ${v})`);
  }
  if (length !== batch * steps * channels) {
    throw new BettiError('invalid-request', `${what}: ${length} values do not fill the shape [${batch}, ${steps}, ${channels}] (${batch * steps * channels} values)`, {
      hint: 'Activations are laid out [batch, steps, channels], channels fastest.',
    });
  }
}

function checkSegment(segment: SegmentParams): void {
  if (!Number.isInteger(segment.steps) || segment.steps < 1 || !Number.isInteger(segment.stride) || segment.stride < 1) {
    throw new BettiError('invalid-request', `segment parameters: steps and stride must be positive integers (got ${segment.steps}, ${segment.stride})`);
  }
}

/** Landscapes of every (batch, segment, channel) sequence, with the routing a backward pass needs unless told not to. */
export function landscapeBatch(activations: Float32Array | Float64Array, shape: ActivationShape, options: LandscapeBatchOptions & { routing: false }): LandscapeValues;
export function landscapeBatch(activations: Float32Array | Float64Array, shape: ActivationShape, options?: LandscapeBatchOptions): LandscapeBatch;
export function landscapeBatch(activations: Float32Array | Float64Array, shape: ActivationShape, options: LandscapeBatchOptions = {}): LandscapeBatch | LandscapeValues {
  const segment = options.segment ?? PCNN_CONFIG.segment;
  const params = options.landscape ?? PCNN_CONFIG.landscape;
  checkSegment(segment);
  checkLandscapeParams(params);
  checkShape(activations.length, shape, 'landscapeBatch');
  const { batch, steps, channels } = shape;
  const { k, points } = params;
  const L = segment.steps;
  const stride = segment.stride;
  const S = segmentCount(steps, segment);
  const kp = k * points;
  const featureSize = channels * kp;
  const total = batch * S * featureSize;

  const routed = options.routing ?? true;
  let land: Float32Array;
  let index: Int32Array;
  let sign: Int8Array;
  if (!routed) {
    land = options.out?.landscapes ?? new Float32Array(total);
    if (land.length !== total) throw new BettiError('invalid-request', `landscapeBatch: the output buffer must hold ${total} values (got ${land.length})`);
    index = new Int32Array(0);
    sign = new Int8Array(0);
  } else if (options.out) {
    if (!options.out.routing) throw new BettiError('invalid-request', 'landscapeBatch: out.routing is needed unless routing is false');
    ({ landscapes: land } = options.out);
    ({ index, sign } = options.out.routing);
    if (land.length !== total || index.length !== total || sign.length !== total) {
      throw new BettiError('invalid-request', `landscapeBatch: output buffers must hold ${total} values (got ${land.length}, ${index.length}, ${sign.length})`);
    }
  } else {
    land = new Float32Array(total);
    index = new Int32Array(total);
    sign = new Int8Array(total);
  }

  const t = samplePoints(params);
  const ws = new Persistence0Workspace(L);
  const x = ws.values;
  // Per sample point i, a descending top-k list in slots i·k … i·k+k−1.
  const topVal = new Float64Array(points * k);
  const topBirth = new Int32Array(points * k);
  const topSrc = new Int32Array(points * k);
  const topSign = new Int8Array(points * k);
  const filled = new Int32Array(points);

  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < S; s++) {
      const start = s * stride;
      const rowBase = b * steps + start; // flat step index of the segment's first step
      for (let c = 0; c < channels; c++) {
        for (let m = 0; m < L; m++) {
          const v = activations[(rowBase + m) * channels + c];
          // v − v is 0 for every finite v and NaN for NaN and ±Infinity.
          if (v - v !== 0) throw new NonFiniteValueError(`batch ${b}, step ${start + m}, channel ${c}`, v);
          x[m] = v;
        }
        const count = diagramIndices(ws, L);
        filled.fill(0);
        for (let p = 0; p < count; p++) {
          const bi = ws.birthIndex[p];
          const di = ws.deathIndex[p];
          const bv = x[bi];
          const dv = x[di];
          if (!(bv > dv)) continue; // a constant segment's essential pair: no tent
          for (let i = 0; i < points; i++) {
            const fall = bv - t[i];
            const rise = t[i] - dv;
            const onFall = fall <= rise;
            const v = onFall ? fall : rise;
            if (!(v > 0)) continue;
            const off = i * k;
            const n = filled[i];
            let pos = n;
            while (pos > 0 && (topVal[off + pos - 1] < v || (topVal[off + pos - 1] === v && topBirth[off + pos - 1] > bi))) pos--;
            if (pos >= k) continue;
            for (let q = n < k ? n : k - 1; q > pos; q--) {
              topVal[off + q] = topVal[off + q - 1];
              topBirth[off + q] = topBirth[off + q - 1];
              topSrc[off + q] = topSrc[off + q - 1];
              topSign[off + q] = topSign[off + q - 1];
            }
            topVal[off + pos] = v;
            topBirth[off + pos] = bi;
            topSrc[off + pos] = onFall ? bi : di;
            topSign[off + pos] = onFall ? 1 : -1;
            if (n < k) filled[i] = n + 1;
          }
        }
        const o0 = ((b * S + s) * channels + c) * kp;
        for (let j = 0; j < k; j++) {
          for (let i = 0; i < points; i++) {
            const o = o0 + j * points + i;
            const slot = i * k + j;
            const on = j < filled[i];
            land[o] = on ? topVal[slot] : 0;
            if (routed) {
              index[o] = on ? (rowBase + topSrc[slot]) * channels + c : -1;
              sign[o] = on ? topSign[slot] : 0;
            }
          }
        }
      }
    }
  }
  const values = { landscapes: land, batch, segments: S, featureSize };
  return routed ? { ...values, routing: { index, sign } } : values;
}

/**
 * The gradient of the landscapes with respect to the activations, given the upstream gradient
 * ∂L/∂landscapes (same layout as the landscapes): ∂L/∂x[index[o]] += sign[o] · upstream[o].
 * Returns [batch, steps, channels] (`out` is zeroed and filled when given).
 */
export function landscapeBackward(routing: LandscapeRouting, upstream: Float32Array | Float64Array, shape: ActivationShape, out?: Float32Array): Float32Array {
  const size = shape.batch * shape.steps * shape.channels;
  checkShape(size, shape, 'landscapeBackward');
  const { index, sign } = routing;
  if (upstream.length !== index.length || sign.length !== index.length) {
    throw new BettiError('invalid-request', `landscapeBackward: the upstream gradient has ${upstream.length} values, the routing ${index.length} (and ${sign.length} signs)`);
  }
  const grad = out ?? new Float32Array(size);
  if (grad.length !== size) throw new BettiError('invalid-request', `landscapeBackward: the output buffer must hold ${size} values (got ${grad.length})`);
  if (out) grad.fill(0);
  for (let o = 0; o < index.length; o++) {
    const target = index[o];
    if (target < 0) continue;
    if (target >= size) throw new BettiError('invalid-request', `landscapeBackward: routing index ${target} lies outside the activations [${shape.batch}, ${shape.steps}, ${shape.channels}]`);
    grad[target] += sign[o] * upstream[o];
  }
  return grad;
}
