// logMel against a numpy implementation of the same definitions (librosa's formulas), on real
// clips and on synthetic signals, to 1e-4 absolute on the log10(1 + 10000·mel) values.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeMono16k } from '../../src-main/audio/decode.ts';
import { logMel } from '../../src-main/features/logmel.ts';
import { denseMelFilterbank, hzToMelSlaney, melToHzSlaney, specMelFilterbank } from '../../src-main/features/mel-filterbank.ts';
import { FEATURE_SPEC } from '../../src-main/features/spec.ts';
import { centredFrameCount, periodicHann } from '../../src-main/features/stft.ts';
import { maxAbsDiff, numpyFilterbank, numpyLogMel } from '../helpers/numpy-logmel.ts';
import { sampleClips, sharedDataDir, sharedDataSkip } from '../helpers/shared-data.ts';
import { tempDir } from '../helpers/tmp.ts';
import { seededRandom } from '../helpers/random.ts';

const TOLERANCE = 1e-4;
const SR = FEATURE_SPEC.sampleRate;


function logSweep(seconds: number, f0: number, f1: number, amplitude: number): Float32Array {
  const n = Math.round(seconds * SR);
  const out = new Float32Array(n);
  const k = Math.log(f1 / f0);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    out[i] = amplitude * Math.sin(((2 * Math.PI * f0 * seconds) / k) * (Math.exp((k * t) / seconds) - 1));
  }
  return out;
}

function noise(n: number, amplitude: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * (2 * r() - 1);
  return out;
}

function assertMatchesNumpy(samples: Float32Array, dir: string, label: string): void {
  const ours = logMel(samples);
  assert.equal(ours.bands, 128);
  assert.equal(ours.frames, centredFrameCount(samples.length, FEATURE_SPEC.hop));
  const ref = numpyLogMel(samples, dir);
  assert.equal(ref.length, ours.frames * ours.bands, `${label}: numpy gave ${ref.length / 128} frames, we gave ${ours.frames}`);
  const { max, at } = maxAbsDiff(ours.data, ref);
  assert.ok(
    max <= TOLERANCE,
    `${label}: max |ours − numpy| = ${max.toExponential(3)} at frame ${Math.floor(at / 128)}, band ${at % 128} (ours ${ours.data[at]}, numpy ${ref[at]})`,
  );
}

describe('log-mel features (spec betti-features-2)', () => {
  it('is declared by one versioned spec constant', () => {
    assert.deepEqual(FEATURE_SPEC, {
      version: 'betti-features-2',
      sampleRate: 16000,
      nFft: 512,
      hop: 512,
      center: true,
      padMode: 'zeros',
      window: 'hann-periodic',
      nMels: 128,
      fMin: 0,
      fMax: 8000,
      melScale: 'slaney',
      melNorm: 'slaney',
      logMultiplier: 10000,
      chroma: { nFft: 4096, fMin: 55, fMax: 2000, bins: 12, scale: 1 / 64 },
    });
  });

  it('uses the periodic Hann window', () => {
    const w = periodicHann(8);
    assert.deepEqual(Array.from(w, (v) => Number(v.toFixed(12))), [0, 0.146446609407, 0.5, 0.853553390593, 1, 0.853553390593, 0.5, 0.146446609407]);
  });

  it('maps Hz to Slaney mels linearly below 1 kHz and logarithmically above, invertibly', () => {
    assert.ok(Math.abs(hzToMelSlaney(1000) - 15) < 1e-12);
    assert.ok(Math.abs(hzToMelSlaney(500) - 7.5) < 1e-12);
    assert.ok(Math.abs(hzToMelSlaney(6400) - 42) < 1e-9); // 27 mels per factor 6.4 above 1 kHz
    for (const hz of [0, 123.4, 999.9, 1000, 4321, 8000]) assert.ok(Math.abs(melToHzSlaney(hzToMelSlaney(hz)) - hz) < 1e-9);
  });

  it('builds the same Slaney-normalised filterbank as numpy, with no empty band', (t) => {
    const ours = denseMelFilterbank(FEATURE_SPEC);
    const ref = numpyFilterbank(tempDir(t));
    const { max } = maxAbsDiff(ours, ref);
    assert.ok(max < 1e-12, `filterbank differs by ${max}`);
    const sparse = specMelFilterbank();
    for (let b = 0; b < 128; b++) assert.ok(sparse.length[b]! > 0, `band ${b} has no bins`);
  });

  it('counts 1 + floor(length / hop) centred frames, from an empty signal up', () => {
    for (const n of [0, 1, 255, 256, 511, 512, 513, 16000]) {
      const lm = logMel(new Float32Array(n));
      assert.equal(lm.frames, 1 + Math.floor(n / 512), `length ${n}`);
      assert.equal(lm.data.length, lm.frames * 128);
      assert.ok(lm.data.every((v) => v === 0), 'silence is log10(1) = 0 everywhere');
    }
  });

  it('puts a 1 kHz tone in the band whose centre is nearest 1 kHz', () => {
    const tone = new Float32Array(SR);
    for (let i = 0; i < tone.length; i++) tone[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / SR);
    const lm = logMel(tone);
    const frame = lm.data.subarray(10 * 128, 11 * 128);
    const peak = frame.indexOf(Math.max(...frame));
    const centreHz = melToHzSlaney(((peak + 1) * hzToMelSlaney(8000)) / 129);
    assert.ok(Math.abs(centreHz - 1000) < 40, `peak band ${peak} centred at ${centreHz.toFixed(0)} Hz`);
  });

  it('matches numpy on a logarithmic sine sweep 30 Hz → 7.9 kHz', (t) => {
    assertMatchesNumpy(logSweep(6.3, 30, 7900, 0.8), tempDir(t), 'sweep');
  });

  it('matches numpy on white noise and on very quiet noise, with a ragged length', (t) => {
    const dir = tempDir(t);
    assertMatchesNumpy(noise(3 * SR + 77, 0.9, 1), dir, 'loud noise');
    assertMatchesNumpy(noise(SR + 300, 1e-4, 2), dir, 'quiet noise');
  });

  it('matches numpy on signals shorter than one hop', (t) => {
    const dir = tempDir(t);
    assertMatchesNumpy(noise(100, 0.5, 3), dir, '100 samples');
    assertMatchesNumpy(noise(512, 0.5, 4), dir, '512 samples');
  });

  it('matches numpy on real clips decoded from ../shared/data', { skip: sharedDataSkip }, async (t) => {
    const dir = tempDir(t);
    for (const clip of sampleClips) {
      const decoded = await decodeMono16k(join(sharedDataDir, clip));
      assert.ok(decoded.samples.length > 3 * SR, `${clip} decoded to ${decoded.samples.length} samples`);
      assertMatchesNumpy(decoded.samples, dir, clip);
    }
  });

  it('gives the same result when called again (reused buffers hold no state)', () => {
    const x = noise(5000, 0.3, 9);
    const a = logMel(x).data.slice();
    logMel(noise(7000, 0.7, 10));
    assert.deepEqual(logMel(x).data, a);
  });
});
