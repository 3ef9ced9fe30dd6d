// The rhythm branch (src-main/model/rhythm.ts): per segment and filter, the normalised
// autocorrelation of the unpooled front-end activations. Its equality with the PyTorch branch is
// training/tests/test_ts_parity.py's and parity.json's; here, what it means on known signals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RHYTHM_EPS, segmentAutocorrelation } from '../../src-main/model/rhythm.ts';

/** [1, frames, channels] activations with channel c given by fn(t, c). */
function activations(frames: number, channels: number, fn: (t: number, c: number) => number): Float32Array {
  const a = new Float32Array(frames * channels);
  for (let t = 0; t < frames; t++) for (let c = 0; c < channels; c++) a[t * channels + c] = fn(t, c);
  return a;
}

describe('rhythm branch', () => {
  it('peaks at the period of a pulse train, and at its multiples before the half period', () => {
    const lags = 40;
    // An onset every 12 frames (125 bpm at 32 ms frames) in channel 0; silence in channel 1.
    const a = activations(128, 2, (t, c) => (c === 0 && t % 12 === 0 ? 1 : 0));
    const r = segmentAutocorrelation(a, { batch: 1, frames: 128, channels: 2 }, { segments: 1, segmentFrames: 128, lags });
    const pulse = Array.from(r.subarray(0, lags));
    assert.equal(pulse.indexOf(Math.max(...pulse)) + 1, 12);
    assert.ok(pulse[23]! > pulse[17]!, 'two periods correlate more than one and a half');
    assert.ok(pulse[11]! > 0.5 && pulse[11]! < 1, `lag 12: ${pulse[11]}`);
    assert.deepEqual(Array.from(r.subarray(lags)), new Array<number>(lags).fill(0), 'a silent filter gives zeros');
  });

  it('equals its definition term by term for any number of lags, blocked or not', () => {
    // The branch sums eight lags per pass; 64, 13 (8 + 5) and 3 lags cover the blocked loop,
    // the remainder and a branch with no full block.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 1;
    const [frames, channels, segments, n] = [300, 3, 2, 128];
    const a = activations(frames, channels, () => random());
    for (const lags of [64, 13, 3]) {
      const r = segmentAutocorrelation(a, { batch: 1, frames, channels }, { segments, segmentFrames: n, lags });
      for (let s = 0; s < segments; s++) {
        for (let c = 0; c < channels; c++) {
          const x = Array.from({ length: n }, (_, t) => a[(s * n + t) * channels + c]!);
          const mean = x.reduce((p, v) => p + v, 0) / n;
          const d = x.map((v) => v - mean);
          const energy = d.reduce((p, v) => p + v * v, 0);
          for (let l = 1; l <= lags; l++) {
            let sum = 0;
            for (let t = 0; t + l < n; t++) sum += d[t]! * d[t + l]!;
            const got = r[(s * channels + c) * lags + l - 1]!;
            assert.ok(Math.abs(got - sum / (energy + RHYTHM_EPS)) < 1e-6, `lags ${lags}, segment ${s}, channel ${c}, lag ${l}: ${got}`);
          }
        }
      }
    }
  });

  it('computes each segment on its own frames and ignores frames after the last segment', () => {
    const lags = 5;
    // Segment 0: a ramp; segment 1: alternating ±; 7 trailing frames of huge values.
    const a = activations(2 * 16 + 7, 1, (t) => (t < 16 ? t : t < 32 ? (t % 2 ? 1 : -1) : 1e6));
    const r = segmentAutocorrelation(a, { batch: 1, frames: 39, channels: 1 }, { segments: 2, segmentFrames: 16, lags });
    const expected = (xs: number[], l: number) => {
      const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
      const x = xs.map((v) => v - mean);
      let sum = 0;
      for (let t = 0; t + l < x.length; t++) sum += x[t]! * x[t + l]!;
      return sum / (x.reduce((s, v) => s + v * v, 0) + RHYTHM_EPS);
    };
    const ramp = Array.from({ length: 16 }, (_, t) => t);
    const alt = Array.from({ length: 16 }, (_, t) => (t % 2 ? 1 : -1));
    for (let l = 1; l <= lags; l++) {
      assert.ok(Math.abs(r[l - 1]! - expected(ramp, l)) < 1e-6, `ramp lag ${l}`);
      assert.ok(Math.abs(r[lags + l - 1]! - expected(alt, l)) < 1e-6, `alternating lag ${l}`);
    }
    assert.ok(r[lags]! < -0.9 && r[lags + 1]! > 0.8, 'alternation anti-correlates at lag 1 and correlates at lag 2');
  });

  it('refuses a layout its values do not fill and lags that do not fit a segment', () => {
    const a = new Float32Array(10 * 2);
    assert.throws(() => segmentAutocorrelation(a, { batch: 1, frames: 11, channels: 2 }, { segments: 1, segmentFrames: 8, lags: 2 }), /do not fill/);
    assert.throws(() => segmentAutocorrelation(a, { batch: 1, frames: 10, channels: 2 }, { segments: 2, segmentFrames: 8, lags: 2 }), /do not fit/);
    assert.throws(() => segmentAutocorrelation(a, { batch: 1, frames: 10, channels: 2 }, { segments: 1, segmentFrames: 8, lags: 8 }), /lags must be/);
  });
});
