// `betti predict` as a person runs it, on audio made here with ffmpeg in several formats: every tag
// of the shipped vocabulary with a probability in [0, 1], most probable first, above-threshold
// tags marked, tags below the quality bar said so; unreadable files get their own error, and the
// exit status is 1 only when all failed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelTag } from '../../src-main/model/model-files.ts';
import { modelTagVerdict } from '../../src-main/model/quality-bar.ts';
import { makeAudio } from '../helpers/ffmpeg-fixtures.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { shippedModelDir } from '../helpers/shipped-model.ts';

type Output =
  | { path: string; tags: Record<string, number>; aboveThreshold: string[]; neverSuggested: string[]; windows: number; durationSec: number; backend: string }
  | { path: string; error: { kind: string; message: string; hint?: string } };

const vocabulary = JSON.parse(readFileSync(join(shippedModelDir, 'tags.json'), 'utf8')) as ModelTag[];
const belowBar = vocabulary.filter((v) => !modelTagVerdict(v.valid).suggested).map((v) => v.tag);

describe('betti predict', () => {
  let dir = '';
  const files: Record<string, string> = {};
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'betti-predict-'));
    files.mp3 = makeAudio(dir, 'chord', 'mp3', { exprs: '0.3*sin(2*PI*220*t)+0.2*sin(2*PI*330*t)+0.1*sin(2*PI*440*t*(1+0.01*sin(3*t)))', seconds: 20 });
    files.ogg = makeAudio(dir, 'pulse', 'ogg', { exprs: '0.5*sin(2*PI*110*t)*lt(mod(t\\,0.5)\\,0.1)', seconds: 9, layout: 'stereo' });
    files.flac = makeAudio(dir, 'noise', 'flac', { exprs: '0.3*(random(0)*2-1)', seconds: 2.5 });
    files.wav = makeAudio(dir, 'sweep', 'wav', { exprs: '0.4*sin(2*PI*(200+300*t)*t)', seconds: 6, rate: 22050 });
    files.tooShort = makeAudio(dir, 'click', 'wav', { exprs: '0.5*sin(2*PI*1000*t)', seconds: 0.4 });
    files.garbage = join(dir, 'not-audio.mp3');
    writeFileSync(files.garbage, 'this is not an mp3 file\n'.repeat(50));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every tag of the vocabulary with a probability in [0, 1] for each readable file, and per-file errors for the rest', () => {
    const order = [files.mp3!, files.ogg!, files.flac!, files.wav!, files.tooShort!, files.garbage!];
    const r = runBetti(['predict', '--json', ...order]);
    assert.equal(r.status, 0, `some files were tagged, so exit 0\n${r.stderr}`);
    const out = parseJsonOutput<Output[]>(r);
    assert.deepEqual(
      out.map((o) => o.path),
      order,
    );
    const expectedWindows = [3, 2, 1, 1];
    for (const [i, o] of out.slice(0, 4).entries()) {
      assert.ok(!('error' in o), `${o.path}: ${'error' in o ? o.error.message : ''}`);
      assert.deepEqual(Object.keys(o.tags).sort(), vocabulary.map((v) => v.tag).sort(), 'the full vocabulary');
      const ps = Object.values(o.tags);
      for (const p of ps) assert.ok(p >= 0 && p <= 1 && Number.isFinite(p), `${o.path}: probability ${p}`);
      assert.deepEqual(ps, [...ps].sort((a, b) => b - a), 'most probable first');
      assert.equal(o.windows, expectedWindows[i], `${o.path}: windows`);
      assert.ok(o.backend === 'wasm' || o.backend === 'tfjs-node', o.backend);
      const thresholds = new Map(vocabulary.map((v) => [v.tag, v.threshold]));
      assert.deepEqual(
        o.aboveThreshold,
        Object.keys(o.tags).filter((t) => o.tags[t]! >= thresholds.get(t)!),
        'marked tags are exactly those at or above their threshold',
      );
      assert.deepEqual(o.neverSuggested, belowBar, 'the tags below the quality bar, in vocabulary order');
    }
    const [short, garbage] = out.slice(4) as { error: { kind: string; message: string } }[];
    assert.equal(short!.error.kind, 'unsupported-format');
    assert.match(short!.error.message, /too short to analyse/);
    assert.ok(['unsupported-format', 'decode-failed'].includes(garbage!.error.kind), garbage!.error.kind);
    assert.ok(garbage!.error.message.includes(files.garbage!), 'the error names the file');
  });

  it('exits 1 only when every file failed', () => {
    const r = runBetti(['predict', '--json', files.garbage!, join(dir, 'missing.ogg')]);
    assert.equal(r.status, 1);
    const out = parseJsonOutput<Output[]>(r);
    assert.equal(out.length, 2);
    assert.ok(out.every((o) => 'error' in o));
    assert.equal((out[1] as { error: { kind: string } }).error.kind, 'not-found');
  });

  it('prints a readable list for a person, above-threshold tags marked with *, tags below the quality bar said so', () => {
    const r = runBetti(['predict', files.flac!, files.garbage!]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /noise\.flac {2}\(2\.5 s, 1 window, (wasm|tfjs-node); \* = above threshold\)/);
    const rows = lines.slice(1, 1 + vocabulary.length);
    assert.equal(rows.length, vocabulary.length);
    for (const row of rows) assert.match(row, /^ {2}[* ] \S+ +[01]\.\d{3}( {2}\(never suggested: below the quality bar\))?$/);
    const said = rows.filter((row) => row.endsWith('(never suggested: below the quality bar)')).map((row) => row.trim().replace(/^\* /, '').split(/\s+/)[0]);
    assert.deepEqual(said.sort(), [...belowBar].sort());
    const values = rows.map((row) => Number(row.replace('  (never suggested: below the quality bar)', '').trim().split(/\s+/).at(-1)));
    assert.deepEqual(values, [...values].sort((a, b) => b - a));
    assert.match(r.stdout, /not-audio\.mp3: cannot decode/);
    assert.match(r.stdout, /1 of 2 file\(s\) tagged, 1 failed/);
  });

  it('runs the other architecture and refuses an unknown one as a usage error', () => {
    const fcn = parseJsonOutput<Output[]>(runBetti(['predict', '--json', '--architecture', 'fcn', files.wav!]));
    assert.ok(!('error' in fcn[0]!));
    assert.equal(Object.keys(fcn[0]!.tags).length, vocabulary.length);
    const bad = runBetti(['predict', '--architecture', 'resnet', files.wav!]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--architecture must be pcnn or fcn/);
  });
});

describe('betti model', () => {
  it('lists the model, its network and backend, and every tag with its threshold and whether it is suggested', () => {
    const r = runBetti(['model']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^model pcnn-\S+/);
    assert.match(r.stdout, /backend: (wasm|tfjs-node)/);
    const suggested = vocabulary.filter((v) => modelTagVerdict(v.valid).suggested).length;
    assert.ok(lines.includes(`${vocabulary.length} tags, ${suggested} suggested:`), r.stdout);
    for (const v of vocabulary) {
      const row = lines.find((l) => l.startsWith(`  ${v.tag} `));
      assert.ok(row, `${v.tag} is listed`);
      const verdict = modelTagVerdict(v.valid);
      assert.ok(row.includes(v.threshold.toFixed(3)) && row.includes(`${verdict.suggested ? 'yes' : 'no '} `) && row.endsWith(verdict.quality), row);
    }
  });

  it('prints model.info as JSON, and says what is wrong with a folder that holds no model', () => {
    const json = parseJsonOutput<{ architecture: string; tags: { tag: string; suggested: boolean }[] }>(runBetti(['model', '--json', '--architecture', 'fcn']));
    assert.equal(json.architecture, 'fcn');
    assert.equal(json.tags.length, vocabulary.length);
    const empty = mkdtempSync(join(tmpdir(), 'betti-no-model-'));
    try {
      const r = runBetti(['model', '--model', empty]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /model\.json: the file is missing/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
