// The pitch-class input of spec version 2 (features/chroma.ts) and the network's input frames
// (features/input-features.ts): against a numpy implementation of the same definitions, on what a
// note and a transposition do to it, and on how it lines up with the log-mel.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeMono16k } from '../../src-main/audio/decode.ts';
import { chroma, pitchClass } from '../../src-main/features/chroma.ts';
import { inputFeatures, melPart } from '../../src-main/features/input-features.ts';
import { logMel } from '../../src-main/features/logmel.ts';
import { FEATURE_SPEC, INPUT_BANDS } from '../../src-main/features/spec.ts';
import { maxAbsDiff, numpyChroma } from '../helpers/numpy-logmel.ts';
import { seededRandom } from '../helpers/random.ts';
import { sampleClips, sharedDataDir, sharedDataSkip } from '../helpers/shared-data.ts';
import { tempDir } from '../helpers/tmp.ts';

const SR = FEATURE_SPEC.sampleRate;
const TOLERANCE = 1e-4;

/** A sum of sines at `hz`, each at `amplitude`, `seconds` long. */
function tones(hz: readonly number[], seconds: number, amplitude = 0.2): Float32Array {
  const out = new Float32Array(Math.round(seconds * SR));
  for (let i = 0; i < out.length; i++) for (const f of hz) out[i] += amplitude * Math.sin((2 * Math.PI * f * i) / SR);
  return out;
}

const midiHz = (note: number) => 440 * 2 ** ((note - 69) / 12);

/**
 * Mean of each of the 12 classes over the frames whose 4096-sample window lies inside the signal
 * (the first and last frames also hear the signal's abrupt start and end, a broadband click).
 */
function meanChroma(samples: Float32Array): number[] {
  const c = chroma(samples);
  const edge = Math.ceil(FEATURE_SPEC.chroma.nFft / 2 / FEATURE_SPEC.hop);
  return Array.from({ length: 12 }, (_, k) => {
    let s = 0;
    for (let t = edge; t < c.frames - edge; t++) s += c.data[t * 12 + k]!;
    return s / (c.frames - 2 * edge);
  });
}

const topClasses = (m: readonly number[], n: number) => m.map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]).slice(0, n).map(([, k]) => k).sort((a, b) => a - b);

function assertMatchesNumpy(samples: Float32Array, dir: string, label: string): void {
  const ours = chroma(samples);
  const ref = numpyChroma(samples, dir);
  assert.equal(ref.length, ours.frames * 12, `${label}: numpy gave ${ref.length / 12} frames, we gave ${ours.frames}`);
  const { max, at } = maxAbsDiff(ours.data, ref);
  assert.ok(max <= TOLERANCE, `${label}: max |ours − numpy| = ${max.toExponential(3)} at frame ${Math.floor(at / 12)}, class ${at % 12}`);
}

describe('chroma (spec betti-features-2)', () => {
  it('names pitch classes from C = 0 with A4 = 440 Hz, by the nearest semitone', () => {
    assert.equal(pitchClass(440), 9);
    assert.equal(pitchClass(261.63), 0); // C4
    assert.equal(pitchClass(55), 9); // A1
    assert.equal(pitchClass(midiHz(66)), 6); // F#4
    assert.equal(pitchClass(440 * 2 ** (0.49 / 12)), 9); // just under a quarter tone above A: still A
    assert.equal(pitchClass(440 * 2 ** (0.51 / 12)), 10);
  });

  it('puts a note in its own class, in every octave the spec covers; clearly so from C3 up', () => {
    for (const note of [40, 45, 48, 57, 69, 81, 93]) {
      const m = meanChroma(tones([midiHz(note)], 2));
      const best = m.indexOf(Math.max(...m));
      assert.equal(best, note % 12, `MIDI note ${note} (${midiHz(note).toFixed(1)} Hz) peaks in class ${best}`);
      const second = Math.max(...m.filter((_, k) => k !== best));
      if (note >= 48) assert.ok(m[best]! - second > 1, `MIDI note ${note}: its class stands out by ${(m[best]! - second).toFixed(2)} (log10 units)`);
    }
  });

  it('rotates with a transposition: a C major triad moved up 3 semitones is the E♭ major triad', () => {
    const c = meanChroma(tones([midiHz(60), midiHz(64), midiHz(67)], 2));
    const eb = meanChroma(tones([midiHz(63), midiHz(67), midiHz(70)], 2));
    assert.deepEqual(topClasses(c, 3), [0, 4, 7]);
    assert.deepEqual(topClasses(eb, 3), [3, 7, 10]);
    for (const k of [0, 4, 7]) assert.ok(Math.abs(eb[(k + 3) % 12]! - c[k]!) < 0.05, `chord tone ${k}: ${c[k]!.toFixed(3)} in C, ${eb[(k + 3) % 12]!.toFixed(3)} in E♭`);
  });

  it('ignores what lies outside 55 Hz … 2 kHz, and is 0 in silence', () => {
    const high = meanChroma(tones([3000], 2));
    assert.ok(Math.max(...high) < 0.05, `a 3 kHz tone leaks ${Math.max(...high).toFixed(3)}`);
    assert.ok(Math.max(...meanChroma(tones([1000], 2))) > 6, 'a 1 kHz tone at the same level is in range');
    const silent = chroma(new Float32Array(5000));
    assert.ok(silent.data.every((v) => v === 0));
  });

  it('matches numpy on noise, on a chord and on signals shorter than one hop', (t) => {
    const dir = tempDir(t);
    const r = seededRandom(5);
    assertMatchesNumpy(Float32Array.from({ length: 2 * SR + 77 }, () => 0.8 * (2 * r() - 1)), dir, 'noise');
    assertMatchesNumpy(tones([midiHz(45), midiHz(60), midiHz(76)], 1.5), dir, 'chord');
    assertMatchesNumpy(Float32Array.from({ length: 300 }, () => 0.5 * (2 * r() - 1)), dir, '300 samples');
  });

  it('matches numpy on real clips decoded from ../shared/data', { skip: sharedDataSkip }, async (t) => {
    const dir = tempDir(t);
    for (const clip of sampleClips) assertMatchesNumpy((await decodeMono16k(join(sharedDataDir, clip))).samples, dir, clip);
  });
});

describe("the network's input frames", () => {
  it('are the log-mel bands then the chroma bins, frame for frame', () => {
    const r = seededRandom(11);
    const x = Float32Array.from({ length: SR + 123 }, () => 0.5 * (2 * r() - 1));
    const f = inputFeatures(x);
    const mel = logMel(x);
    const c = chroma(x);
    assert.equal(f.bands, INPUT_BANDS);
    assert.equal(INPUT_BANDS, 128 + 12);
    assert.equal(f.frames, mel.frames);
    assert.equal(f.frames, c.frames);
    for (const t of [0, 7, f.frames - 1]) {
      assert.deepEqual(f.data.subarray(t * INPUT_BANDS, t * INPUT_BANDS + 128), mel.data.subarray(t * 128, (t + 1) * 128));
      assert.deepEqual(f.data.subarray(t * INPUT_BANDS + 128, (t + 1) * INPUT_BANDS), c.data.subarray(t * 12, (t + 1) * 12));
    }
    assert.deepEqual(melPart(f, 128).data, mel.data);
  });
});
