// Our diagrams against GUDHI's (cubical complex on the negated sequence) and our landscapes
// against numpy's evaluation of the spec's formula on GUDHI's diagrams, to 1e-6.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { landscapes } from '../../src-main/features/landscape.ts';
import { persistence0 } from '../../src-main/features/persistence.ts';
import { PCNN_CONFIG, type LandscapeParams } from '../../src-main/model/config.ts';
import { gudhiReference, hasGudhi } from '../helpers/gudhi-ref.ts';
import { activationLike, families, mixedSequences, seededRandom, type Random } from '../helpers/sequences.ts';

const TOL = 1e-6;
const gudhiMissing = hasGudhi() ? false : 'python3-gudhi (Debian) is not installed for /usr/bin/python3';
const dataDir = fileURLToPath(new URL('../../../shared/data', import.meta.url));

function compareWithGudhi(sequences: number[][], params: LandscapeParams): { pairs: number; nonZeroLandscapeValues: number } {
  const ref = gudhiReference(sequences, params);
  assert.equal(ref.diagrams.length, sequences.length);
  let pairs = 0;
  let nonZeroLandscapeValues = 0;
  sequences.forEach((x, s) => {
    const where = () => `sequence ${s}: ${JSON.stringify(x)}`;
    const diagram = persistence0(x);
    // Multisets of (birth, death), both sorted the same way.
    const ours = diagram.map((p) => [p.birth, p.death] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const theirs = ref.diagrams[s].slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    assert.equal(ours.length, theirs.length, `pair count, ${where()}\nours ${JSON.stringify(ours)}\nGUDHI ${JSON.stringify(theirs)}`);
    ours.forEach(([b, d], i) => {
      assert.ok(Math.abs(b - theirs[i][0]) <= TOL && Math.abs(d - theirs[i][1]) <= TOL, `pair ${i}, ${where()}\nours ${JSON.stringify(ours)}\nGUDHI ${JSON.stringify(theirs)}`);
    });
    // The indices point at the values they claim, and finite pairs have positive persistence.
    diagram.forEach((p, i) => {
      assert.equal(x[p.birthIndex], p.birth, `birth index, ${where()}`);
      assert.equal(x[p.deathIndex], p.death, `death index, ${where()}`);
      if (i > 0) assert.ok(p.birth > p.death, `zero-persistence pair kept, ${where()}`);
    });
    pairs += diagram.length;
    const l = landscapes(diagram, params);
    const refL = ref.landscapes[s];
    assert.equal(l.length, refL.length);
    for (let i = 0; i < l.length; i++) {
      assert.ok(Math.abs(l[i] - refL[i]) <= TOL, `landscape value ${i}: ours ${l[i]}, numpy ${refL[i]}, ${where()}`);
      if (l[i] !== 0) nonZeroLandscapeValues++;
    }
  });
  return { pairs, nonZeroLandscapeValues };
}

/**
 * Activations of a network-like front end on real audio: 16 sub-band log energies per 512-sample
 * frame at 16 kHz, 64 random filters over 8 frames, ReLU, max-pool 4 along time — the shape of
 * the PCNN's first layer (exact zeros from the ReLU, repeated values from the pooling).
 */
function realActivationSequences(rnd: Random, clip: string): number[][] {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', clip, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-'], { maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `ffmpeg could not decode ${clip}: ${r.stderr?.toString()}`);
  const pcm = new Float32Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength / 4);
  const frame = 512;
  const bands = 16;
  const frames = Math.floor(pcm.length / frame);
  const feats: number[][] = [];
  for (let f = 0; f < frames; f++) {
    const row: number[] = [];
    for (let b = 0; b < bands; b++) {
      let e = 0;
      for (let i = f * frame + b * (frame / bands); i < f * frame + (b + 1) * (frame / bands); i++) e += pcm[i] * pcm[i];
      row.push(Math.log10(1 + 10000 * e));
    }
    feats.push(row);
  }
  const sequences: number[][] = [];
  const span = 8;
  const steps = Math.floor((frames - span + 1) / 4);
  for (let c = 0; c < 64; c++) {
    const w = Array.from({ length: span * bands }, () => rnd() - 0.5);
    const bias = -(rnd() * 2);
    const conv: number[] = [];
    for (let f = 0; f + span <= frames; f++) {
      let s = bias;
      for (let a = 0; a < span; a++) for (let b = 0; b < bands; b++) s += w[a * bands + b] * feats[f + a][b];
      conv.push(Math.max(0, s));
    }
    const pooled = Array.from({ length: steps }, (_, i) => Math.fround(Math.max(...conv.slice(4 * i, 4 * i + 4))));
    sequences.push(pooled);
    for (let s0 = 0; s0 + 32 <= steps; s0 += 32) sequences.push(pooled.slice(s0, s0 + 32));
  }
  return sequences;
}

describe('persistence and landscapes against GUDHI + numpy', { skip: gudhiMissing }, () => {
  it('match on over 12,000 random sequences of every length 1..64 with ties, plateaus, constant and monotone runs', () => {
    const rnd = seededRandom(20_240_601);
    const sequences = mixedSequences(rnd, 12_000, 64);
    // Make sure every length 1..64 is there, 32 included.
    const names = Object.keys(families) as (keyof typeof families)[];
    for (let n = 1; n <= 64; n++) for (const name of names) sequences.push(families[name](rnd, n));
    const { pairs, nonZeroLandscapeValues } = compareWithGudhi(sequences, PCNN_CONFIG.landscape);
    assert.ok(pairs > 40_000, `only ${pairs} pairs compared`);
    assert.ok(nonZeroLandscapeValues > 100_000, `only ${nonZeroLandscapeValues} non-zero landscape values compared`);
  });

  it('match on 2,000 activation-like sequences of 32 (ReLU of smoothed noise) and other landscape parameters', () => {
    const rnd = seededRandom(99);
    const sequences = Array.from({ length: 2000 }, () => activationLike(rnd, 32));
    assert.ok(sequences.filter((x) => x.includes(0)).length > 1000, 'most activation-like sequences should hold exact zeros');
    compareWithGudhi(sequences, PCNN_CONFIG.landscape);
    compareWithGudhi(sequences.slice(0, 500), { k: 8, points: 37, lo: -1, hi: 6.5 });
  });

  it('match on activations of a front end over real clips from ../shared/data', { skip: existsSync(join(dataDir, 'manifest.csv')) ? false : '../shared/data is absent' }, () => {
    const rows = readFileSync(join(dataDir, 'manifest.csv'), 'utf8').trim().split('\n').slice(1);
    const pick = (prefix: string) => rows.find((r) => r.startsWith(prefix))?.split(',')[0];
    const clips = ['audio/hydrogen/', 'audio/synth_fluidr3/', 'audio/speech/'].map(pick).filter((p): p is string => p !== undefined);
    assert.ok(clips.length >= 2, 'expected clips of several sources in the manifest');
    const rnd = seededRandom(5);
    const sequences = clips.flatMap((c) => realActivationSequences(rnd, join(dataDir, c)));
    assert.ok(sequences.length >= 128);
    assert.ok(sequences.some((s) => s.includes(0)), 'the ReLU should give exact zeros');
    const { pairs } = compareWithGudhi(sequences, PCNN_CONFIG.landscape);
    assert.ok(pairs > sequences.length, 'real activations should have more than the essential pair');
  });
});
