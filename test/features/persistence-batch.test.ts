import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { landscapes, samplePoints } from '../../src-main/features/landscape.ts';
import { landscapeBackward, landscapeBatch, segmentCount, type ActivationShape } from '../../src-main/features/landscape-batch.ts';
import { NonFiniteValueError, persistence0 } from '../../src-main/features/persistence.ts';
import { PCNN_CONFIG, type LandscapeParams, type SegmentParams } from '../../src-main/model/config.ts';
import { activationLike, families, seededRandom, type Random } from '../helpers/sequences.ts';

/** A [batch, steps, channels] tensor whose (batch, channel) series come from the test families. */
function tensor(rnd: Random, shape: ActivationShape): Float32Array {
  const { batch, steps, channels } = shape;
  const data = new Float32Array(batch * steps * channels);
  const names = Object.keys(families) as (keyof typeof families)[];
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const series = families[names[(b * channels + c) % names.length]](rnd, steps);
      for (let s = 0; s < steps; s++) data[(b * steps + s) * channels + c] = series[s];
    }
  }
  return data;
}

function segmentOf(data: Float32Array, shape: ActivationShape, b: number, start: number, length: number, c: number): number[] {
  return Array.from({ length }, (_, m) => data[(b * shape.steps + start + m) * shape.channels + c]);
}

/** Checks every output value against the single-sequence functions; returns how many were non-zero. */
function checkAgainstSingle(data: Float32Array, shape: ActivationShape, segment: SegmentParams, params: LandscapeParams): number {
  const out = landscapeBatch(data, shape, { segment, landscape: params });
  const S = segmentCount(shape.steps, segment);
  const kp = params.k * params.points;
  assert.equal(out.segments, S);
  assert.equal(out.featureSize, shape.channels * kp);
  assert.equal(out.landscapes.length, shape.batch * S * shape.channels * kp);
  const t = samplePoints(params);
  let nonZero = 0;
  for (let b = 0; b < shape.batch; b++) {
    for (let s = 0; s < S; s++) {
      for (let c = 0; c < shape.channels; c++) {
        const x = segmentOf(data, shape, b, s * segment.stride, segment.steps, c);
        const want = landscapes(persistence0(x), params);
        const o0 = ((b * S + s) * shape.channels + c) * kp;
        for (let v = 0; v < kp; v++) {
          const o = o0 + v;
          const got = out.landscapes[o];
          assert.ok(Math.abs(got - want[v]) <= 1e-6, `b${b} s${s} c${c} value ${v}: batch ${got}, single ${want[v]} for ${JSON.stringify(x)}`);
          const { index, sign } = out.routing;
          if (got === 0) {
            assert.equal(sign[o], 0);
            assert.equal(index[o], -1);
            continue;
          }
          nonZero++;
          // The routed activation lies in this segment and channel, and y = sign · (x − t).
          const flat = index[o];
          assert.equal(flat % shape.channels, c);
          const step = Math.floor(flat / shape.channels) - b * shape.steps;
          assert.ok(step >= s * segment.stride && step < s * segment.stride + segment.steps, `routed step ${step} outside segment ${s}`);
          assert.ok(sign[o] === 1 || sign[o] === -1);
          assert.ok(Math.abs(sign[o] * (data[flat] - t[v % params.points]) - got) <= 1e-6);
        }
      }
    }
  }
  return nonZero;
}

describe('landscapeBatch (the network\'s persistence branch)', () => {
  it('cuts floor((steps − 32) / 32) + 1 segments, none below 32 steps', () => {
    assert.deepEqual([0, 31, 32, 63, 64, 76, 95, 96].map((n) => segmentCount(n)), [0, 0, 1, 1, 2, 2, 2, 3]);
    assert.equal(segmentCount(20, { steps: 8, stride: 4 }), 4);
    const out = landscapeBatch(new Float32Array(2 * 31 * 3), { batch: 2, steps: 31, channels: 3 });
    assert.equal(out.segments, 0);
    assert.equal(out.landscapes.length, 0);
  });

  it('equals the single-sequence functions on random tensors, with the network\'s parameters', () => {
    const rnd = seededRandom(3);
    const shape = { batch: 3, steps: 100, channels: 10 };
    const nonZero = checkAgainstSingle(tensor(rnd, shape), shape, PCNN_CONFIG.segment, PCNN_CONFIG.landscape);
    assert.ok(nonZero > 1000, `only ${nonZero} non-zero values`);
  });

  it('equals the single-sequence functions for overlapping segments and other landscape parameters', () => {
    const rnd = seededRandom(4);
    const shape = { batch: 2, steps: 50, channels: 7 };
    checkAgainstSingle(tensor(rnd, shape), shape, { steps: 12, stride: 5 }, { k: 3, points: 17, lo: -0.5, hi: 4 });
    checkAgainstSingle(tensor(rnd, shape), shape, { steps: 1, stride: 1 }, { k: 2, points: 4, lo: 0, hi: 5 });
  });

  it('lays values out channel-major: λ1 of channel 0, λ2 of channel 0, …, then channel 1', () => {
    // Channel 0 holds one peak (3 over 0), channel 1 is constant: its landscapes are all zero.
    const steps = 32;
    const data = new Float32Array(steps * 2);
    data[5 * 2 + 0] = 3;
    for (let s = 0; s < steps; s++) data[s * 2 + 1] = 1;
    const out = landscapeBatch(data, { batch: 1, steps, channels: 2 });
    assert.deepEqual(Array.from(out.landscapes.subarray(0, 10)), [0, 0.5, 1, 1.5, 1, 0.5, 0, 0, 0, 0]);
    assert.ok(out.landscapes.subarray(10).every((v) => v === 0));
    // Rising side routes to the death (the last zero, step 31, sign −1), falling side to the birth
    // (step 5, sign +1); the peak at t = 1.5 takes the falling side.
    assert.deepEqual(Array.from(out.routing.index.subarray(0, 7)), [-1, 31 * 2, 31 * 2, 5 * 2, 5 * 2, 5 * 2, -1]);
    assert.deepEqual(Array.from(out.routing.sign.subarray(0, 7)), [0, -1, -1, 1, 1, 1, 0]);
  });

  it('routes equal tents to the pair with the lower birth index first', () => {
    // Two equal peaks 2 over 0 at steps 3 and 9: at t = 1.5 both tents are 0.5, on the falling side.
    const data = new Float32Array(32);
    data[3] = 2;
    data[9] = 2;
    const out = landscapeBatch(data, { batch: 1, steps: 32, channels: 1 });
    assert.equal(out.landscapes[3], 0.5);
    assert.equal(out.landscapes[13], 0.5);
    assert.equal(out.routing.index[3], 3); // λ1 ← the elder peak
    assert.equal(out.routing.index[13], 9); // λ2 ← the younger one
    // At t = 1 the tents peak (t − d = b − t): the falling side (the birth) takes it.
    assert.equal(out.landscapes[2], 1);
    assert.equal(out.routing.sign[2], 1);
  });

  it('fills caller-provided buffers with the same values', () => {
    const rnd = seededRandom(8);
    const shape = { batch: 2, steps: 64, channels: 4 };
    const data = tensor(rnd, shape);
    const fresh = landscapeBatch(data, shape);
    const n = fresh.landscapes.length;
    const out = { landscapes: new Float32Array(n).fill(9), routing: { index: new Int32Array(n).fill(7), sign: new Int8Array(n).fill(1) } };
    const reused = landscapeBatch(data, shape, { out });
    assert.equal(reused.landscapes, out.landscapes);
    assert.deepEqual(reused.landscapes, fresh.landscapes);
    assert.deepEqual(reused.routing.index, fresh.routing.index);
    assert.deepEqual(reused.routing.sign, fresh.routing.sign);
    assert.throws(() => landscapeBatch(data, shape, { out: { ...out, landscapes: new Float32Array(n - 1) } }), /output buffers must hold/);
  });

  it('gives the same landscapes without the gradient routing, as inference asks', () => {
    const rnd = seededRandom(9);
    const shape = { batch: 3, steps: 96, channels: 5 };
    const data = tensor(rnd, shape);
    const routed = landscapeBatch(data, shape);
    const plain = landscapeBatch(data, shape, { routing: false });
    assert.deepEqual(plain.landscapes, routed.landscapes);
    assert.equal('routing' in plain, false);
    assert.deepEqual({ batch: plain.batch, segments: plain.segments, featureSize: plain.featureSize }, { batch: 3, segments: 3, featureSize: routed.featureSize });
    const into = new Float32Array(routed.landscapes.length).fill(9);
    assert.equal(landscapeBatch(data, shape, { routing: false, out: { landscapes: into } }).landscapes, into);
    assert.deepEqual(into, routed.landscapes);
  });

  it('rejects NaN and Infinity naming the batch, step and channel', () => {
    const shape = { batch: 2, steps: 40, channels: 3 };
    const data = new Float32Array(2 * 40 * 3);
    data[(1 * 40 + 17) * 3 + 2] = NaN;
    assert.throws(() => landscapeBatch(data, shape), (err: unknown) => err instanceof NonFiniteValueError && err.kind === 'invalid-request' && /batch 1, step 17, channel 2 is NaN/.test(err.message));
    data[(1 * 40 + 17) * 3 + 2] = -Infinity;
    assert.throws(() => landscapeBatch(data, shape), /batch 1, step 17, channel 2 is -Infinity/);
  });

  it('rejects a tensor that does not fill its shape', () => {
    assert.throws(() => landscapeBatch(new Float32Array(10), { batch: 1, steps: 32, channels: 1 }), /10 values do not fill the shape \[1, 32, 1\]/);
  });
});

describe('landscapeBackward', () => {
  it('scatters the upstream gradient through the routing, summing where routes share an activation', () => {
    const routing = { index: Int32Array.from([2, -1, 2, 0]), sign: Int8Array.from([1, 0, -1, -1]) };
    const grad = landscapeBackward(routing, Float32Array.from([0.5, 9, 2, 3]), { batch: 1, steps: 3, channels: 1 });
    assert.deepEqual(Array.from(grad), [-3, 0, -1.5]);
  });

  it('matches finite differences of Σ upstream · landscapes away from ties', () => {
    const rnd = seededRandom(12);
    const shape = { batch: 2, steps: 70, channels: 3 };
    // Continuous values (no plateaus) spread over the sampling range.
    const data = new Float64Array(shape.batch * shape.steps * shape.channels).map(() => rnd() * 5.5 - 0.25);
    const base = landscapeBatch(data, shape);
    const upstream = new Float64Array(base.landscapes.length).map(() => rnd() * 2 - 1);
    const grad = landscapeBackward(base.routing, upstream, shape);
    const loss = (l: Float32Array) => l.reduce((acc, v, o) => acc + v * upstream[o], 0);
    const sameRouting = (a: typeof base, b: typeof base) => a.routing.index.every((v, o) => v === b.routing.index[o]) && a.routing.sign.every((v, o) => v === b.routing.sign[o]);
    const h = 1e-3;
    let compared = 0;
    let nonZero = 0;
    for (let i = 0; i < data.length; i++) {
      const x0 = data[i];
      data[i] = x0 + h;
      const plus = landscapeBatch(data, shape);
      data[i] = x0 - h;
      const minus = landscapeBatch(data, shape);
      data[i] = x0;
      // Across a kink (a tie in the diagram or in the ranking of tents) the routing changes and
      // the derivative is one-sided; the analytic gradient is checked where the piece is the same.
      if (!sameRouting(plus, base) || !sameRouting(minus, base)) continue;
      compared++;
      const fd = (loss(plus.landscapes) - loss(minus.landscapes)) / (2 * h);
      if (grad[i] !== 0) nonZero++;
      assert.ok(Math.abs(fd - grad[i]) <= 2e-3, `activation ${i}: finite difference ${fd}, backward ${grad[i]}`);
    }
    assert.ok(compared >= 0.9 * data.length, `only ${compared} of ${data.length} activations away from ties`);
    assert.ok(nonZero >= 50, `only ${nonZero} activations received a gradient`);
  });

  it('sends no gradient into steps outside every segment', () => {
    const rnd = seededRandom(13);
    const shape = { batch: 1, steps: 40, channels: 2 };
    const data = new Float32Array(80).map(() => activationLike(rnd, 1)[0] + rnd());
    const out = landscapeBatch(data, shape);
    const grad = landscapeBackward(out.routing, new Float32Array(out.landscapes.length).fill(1), shape);
    assert.ok(grad.subarray(32 * 2).every((g) => g === 0));
    assert.ok(grad.subarray(0, 32 * 2).some((g) => g !== 0));
  });

  it('rejects an upstream gradient of the wrong length', () => {
    const out = landscapeBatch(new Float32Array(32), { batch: 1, steps: 32, channels: 1 });
    assert.throws(() => landscapeBackward(out.routing, new Float32Array(3), { batch: 1, steps: 32, channels: 1 }), /upstream gradient has 3 values, the routing 50/);
  });
});
