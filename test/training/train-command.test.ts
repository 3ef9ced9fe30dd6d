// `npm run train` (training/train.js) and the feature extraction it starts. The full training is
// too long for a test; the quick train + export path is covered by training/tests/test_smoke.py.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FEATURE_SPEC, INPUT_BANDS } from '../../src-main/features/spec.ts';
import { tempDir } from '../helpers/tmp.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const data = fileURLToPath(new URL('../../../shared/data', import.meta.url));
const noData = existsSync(join(data, 'manifest.csv')) ? false : `../shared/data is absent (${data}); CI has it`;

function node(args: string[]) {
  return spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', ...args], { cwd: repo, encoding: 'utf8' });
}

describe('npm run train', () => {
  it('exits 2 with a usage line on a malformed --seeds', () => {
    const r = node(['training/train.js', '--seeds', 'one,two']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--seeds must look like 0,1,2/);
    assert.match(r.stderr, /Usage: npm run train/);
  });

  it('exits 2 on a weight-average decay outside [0, 1)', () => {
    const r = node(['training/train.js', '--ema', '1']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--ema must be a decay in \[0, 1\)/);
  });

  it('exits 2 on a weight decay, feature dropout or member count out of range', () => {
    for (const [flag, value, message] of [
      ['--weight-decay', 'lots', /--weight-decay must be a number >= 0 \(got "lots"\)/],
      ['--feature-dropout', '1', /--feature-dropout must be a probability in \[0, 1\) \(got "1"\)/],
      ['--members', '0', /--members must be a positive integer \(got "0"\)/],
    ] as const) {
      const r = node(['training/train.js', flag, value]);
      assert.equal(r.status, 2, flag);
      assert.match(r.stderr, message);
    }
  });

  it('exits 2 on a spectrogram mask count that is not a digit', () => {
    const r = node(['training/train.js', '--time-masks', '12']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--time-masks must be a number of masks per training crop from 0 to 9 \(got "12"\)/);
  });

  it('exits 2 on a chroma profile count, context or start it does not know', () => {
    const count = node(['training/train.js', '--chroma-profiles', 'many']);
    assert.equal(count.status, 2);
    assert.match(count.stderr, /--chroma-profiles must be a whole number, 0 for a network without the chroma branch \(got "many"\)/);
    const context = node(['training/train.js', '--chroma-context', 'clip']);
    assert.equal(context.status, 2);
    assert.match(context.stderr, /--chroma-context must be segment or window \(got "clip"\)/);
    const start = node(['training/train.js', '--chroma-init', 'kk']);
    assert.equal(start.status, 2);
    assert.match(start.stderr, /--chroma-init must be random or key-profiles \(got "kk"\)/);
  });

  it('exits 2 on an unknown architecture', () => {
    const r = node(['training/train.js', '--architectures', 'pcnn,rnn']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--architectures takes pcnn and\/or fcn/);
  });
});

describe('training/extract-features.ts', () => {
  it('caches log-mel features keyed by spec version and manifest, and reuses them', { skip: noData, timeout: 120_000 }, (t) => {
    const cache = tempDir(t);
    const first = node(['training/extract-features.ts', '--data', data, '--cache', cache, '--limit', '2']);
    assert.equal(first.status, 0, first.stderr);
    const dir = first.stdout.trim().split('\n').at(-1)!;
    assert.ok(dir.includes(`${FEATURE_SPEC.version}-`), dir);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { specVersion: string; bands: number; clips: { path: string; frames: number; offset: number }[] };
    assert.equal(index.specVersion, FEATURE_SPEC.version);
    assert.equal(index.bands, INPUT_BANDS);
    assert.equal(index.clips.length, 6); // two of each split
    const floats = readFileSync(join(dir, 'features.f32')).byteLength / 4;
    assert.equal(floats, index.clips.reduce((n, c) => n + c.frames * index.bands, 0));
    for (const c of index.clips) assert.ok(c.frames >= 90 && c.frames <= 315, `${c.path}: ${c.frames} frames for a 3-10 s clip`);
    const second = node(['training/extract-features.ts', '--data', data, '--cache', cache, '--limit', '2']);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /features: cached/);
  });
});
