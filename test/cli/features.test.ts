// `betti features`: the spec, a frames × 128 log-mel matrix and a frames × 12 chroma of finite values, and timing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FEATURE_SPEC } from '../../src-main/features/spec.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { makeAudio } from '../helpers/ffmpeg-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

interface FeaturesOut {
  spec: typeof FEATURE_SPEC;
  decoder: string;
  durationSec: number;
  frames: number;
  bands: number;
  logMel: number[][];
  chroma: number[][];
  timing: { decodeMs: number; logMelMs: number; chromaMs: number };
}

describe('betti features', () => {
  it('prints the spec and a frames × 128 matrix of finite values with --json', (t) => {
    const dir = tempDir(t);
    const file = makeAudio(dir, 'chord', 'flac', { exprs: '0.3*sin(2*PI*220*t)+0.2*sin(2*PI*3000*t)|0.3*sin(2*PI*330*t)', seconds: 3 });
    const r = runBetti(['--db', join(dir, 'lib.db'), 'features', file, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = parseJsonOutput<FeaturesOut>(r);
    assert.deepEqual(out.spec, FEATURE_SPEC);
    assert.equal(out.durationSec, 3);
    assert.equal(out.frames, 1 + Math.floor((3 * 16000) / 512));
    assert.equal(out.bands, 128);
    assert.equal(out.logMel.length, out.frames);
    for (const row of out.logMel) {
      assert.equal(row.length, 128);
      for (const v of row) assert.ok(Number.isFinite(v) && v >= 0, `value ${v}`);
    }
    assert.ok(out.logMel[40]!.some((v) => v > 1), 'a 0.3-amplitude tone shows up well above silence');
    assert.ok(out.timing.decodeMs > 0 && out.timing.logMelMs >= 0 && out.timing.chromaMs >= 0);
    assert.equal(out.chroma.length, out.frames);
    const mean = Array.from({ length: 12 }, (_, k) => out.chroma.reduce((s, row) => s + row[k]!, 0) / out.frames);
    const strongest = mean.map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]).slice(0, 2).map(([, k]) => k).sort((a, b) => a - b);
    assert.deepEqual(strongest, [4, 9], 'the 220 Hz and 330 Hz tones are an A and an E (the 3 kHz one is above the chroma range)');
  });

  it('analyses only the range --offset and --duration ask for', (t) => {
    const dir = tempDir(t);
    const file = makeAudio(dir, 'tone', 'mp3', { exprs: '0.4*sin(2*PI*440*t)', seconds: 4 });
    const r = runBetti(['--db', join(dir, 'lib.db'), 'features', file, '--offset', '1.5', '--duration', '2', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = parseJsonOutput<FeaturesOut>(r);
    assert.equal(out.durationSec, 2);
    assert.equal(out.frames, 1 + Math.floor(32000 / 512));
  });

  it('draws a spectrogram and says what it measured without --json', (t) => {
    const dir = tempDir(t);
    const file = makeAudio(dir, 'tone', 'wav', { exprs: '0.4*sin(2*PI*440*t)', seconds: 1 });
    const r = runBetti(['--db', join(dir, 'lib.db'), 'features', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1\.00 s decoded by \S+ in \d+ ms; log-mel 32 frames × 128 bands/);
    assert.match(r.stdout, new RegExp(`spec ${FEATURE_SPEC.version}`));
    assert.match(r.stdout, /chroma: STFT 4096, 12 pitch classes from 55–2000 Hz/);
    assert.match(r.stdout, /pitch classes \(mean over the frames, strongest first\): A \d/, 'a 440 Hz tone is an A');
    assert.equal(r.stdout.split('\n').filter((l) => /^ {2}\|.*\|$/.test(l)).length, 16);
  });

  it('fails with a JSON error naming the file when it is not audio, and exits 1', (t) => {
    const dir = tempDir(t);
    const missing = join(dir, 'nothing.ogg');
    const r = runBetti(['--db', join(dir, 'lib.db'), 'features', missing, '--json']);
    assert.equal(r.status, 1);
    const out = parseJsonOutput<{ error: { kind: string; message: string; path: string } }>(r);
    assert.equal(out.error.kind, 'not-found');
    assert.equal(out.error.path, missing);
    assert.ok(out.error.message.includes(missing));
  });

  it('refuses an offset that is not a number, with exit status 2', (t) => {
    const r = runBetti(['--db', join(tempDir(t), 'lib.db'), 'features', 'x.mp3', '--offset', 'soon']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--offset must be a number of seconds, got "soon"/);
  });
});
