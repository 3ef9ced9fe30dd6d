// Bad input and bad luck (issue 6 §6): every case gives that file a clear result (kind, where,
// what to do), leaves its bytes exactly as they were, leaves no temporary file, and the rest of
// the batch is written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FileResult } from '../../src-main/api/schemas/write.ts';
import { applyPlan, type Step } from '../../src-main/tags/apply.ts';
import type { PlanItem } from '../../src-main/tags/plan.ts';
import { createTagWriter, type TagWriter } from '../../src-main/tags/writer.ts';
import { tempDir } from '../helpers/tmp.ts';
import { copyOf, makeAudioFile } from './helpers/fixtures.ts';
import { leftoverTempFiles } from './helpers/format-suite.ts';
import { mutagenRead } from './helpers/readers.ts';
import { fileSha, openWriteContext, sysError } from './helpers/write-context.ts';

const APPLY = { kind: 'apply', source: 'plan', undoesBatch: null } as const;
const set = (path: string): PlanItem => ({ path, set: { GENRE: ['Ambient'], BETTI_TAGS: ['piano'] }, remove: [] });

function assertFailed(r: FileResult | undefined, kind: string, where: RegExp | string, message: RegExp): void {
  assert.ok(r, 'a result for the file');
  assert.equal(r.status, 'failed', `expected a failure, got ${r.status}`);
  assert.equal(r.error?.kind, kind, JSON.stringify(r.error));
  if (typeof where === 'string') assert.equal(r.error?.where, where, JSON.stringify(r.error));
  else assert.match(r.error?.where ?? '', where);
  assert.match(r.error!.message, message);
  assert.ok(r.error?.hint, 'the error says what to do next');
}

describe('writing in bad conditions', () => {
  it('refuses a read-only file and a file in a read-only folder, and writes the rest of the batch', async (t) => {
    const dir = tempDir(t);
    const master = makeAudioFile(dir, 'master', 'flac', { genre: 'Rock' });
    const roFile = copyOf(master, dir, 'read-only');
    chmodSync(roFile, 0o444);
    const roDir = join(dir, 'locked-folder');
    mkdirSync(roDir);
    const inRoDir = copyOf(master, roDir, 'inside');
    chmodSync(roDir, 0o555);
    t.after(() => {
      try {
        chmodSync(roDir, 0o755);
      } catch {
        /* already removed */
      }
    });
    const ok = copyOf(master, dir, 'fine');
    const shas = [fileSha(roFile), fileSha(inRoDir)];
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const r = await applyPlan(wctx, [set(roFile), set(inRoDir), set(ok)], APPLY);
    assertFailed(r.results[0], 'io', 'permissions', /read-only/);
    assertFailed(r.results[1], 'io', 'permissions', /folder is read-only/);
    assert.equal(r.results[2]!.status, 'ok');
    assert.deepEqual([fileSha(roFile), fileSha(inRoDir)], shas);
    assert.equal(lstatSync(roFile).mode & 0o777, 0o444, 'permissions untouched');
    assert.deepEqual([...leftoverTempFiles(dir), ...leftoverTempFiles(roDir)], []);
  });

  for (const step of ['copy', 'write', 'fsync'] as const) {
    it(`a full disk while the ${step} step runs leaves the original untouched and no temporary file`, async (t) => {
      const dir = tempDir(t);
      const path = makeAudioFile(dir, 'song', 'mp3', { genre: 'Rock' });
      const other = makeAudioFile(dir, 'other', 'mp3', { genre: 'Rock' });
      const sha = fileSha(path);
      const real = createTagWriter();
      const wctx = openWriteContext(dir);
      t.after(() => wctx.db.close());
      // The disk fills up while `path` is written: half a file lands, then ENOSPC (EIO for fsync).
      const failing = (p: string) => p.includes('.song.mp3.betti-tmp-');
      const writer: TagWriter = {
        name: 'fills the disk',
        async write(req) {
          if (step === 'write' && failing(req.path)) {
            truncateSync(req.path, 100);
            throw sysError('ENOSPC', 'write', req.path);
          }
          return real.write(req);
        },
      };
      const io = {
        ...wctx.io,
        async copyFile(src: string, dst: string) {
          if (step === 'copy' && failing(dst)) {
            writeFileSync(dst, readFileSync(src).subarray(0, 500));
            throw sysError('ENOSPC', 'copyfile', dst);
          }
          return wctx.io.copyFile(src, dst);
        },
        async fsyncFile(p: string) {
          if (step === 'fsync' && failing(p)) throw sysError('EIO', 'fsync', p);
          return wctx.io.fsyncFile(p);
        },
      };
      const r = await applyPlan({ ...wctx, writer, io }, [set(path), set(other)], APPLY);
      assertFailed(r.results[0], 'io', step, step === 'fsync' ? /I\/O error/ : /disk is full/);
      assert.equal(r.results[1]!.status, 'ok', 'the batch goes on with the other files');
      assert.equal(fileSha(path), sha);
      assert.deepEqual(leftoverTempFiles(dir), []);
    });
  }

  it('a real full file system (a tiny tmpfs) refuses the write cleanly', async (t) => {
    const dir = tempDir(t);
    // Its own folder outside `dir`, so it is unmounted before anything is removed.
    const mnt = mkdtempSync(join(tmpdir(), 'betti-tiny-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { encoding: 'utf8' });
    t.after(() => {
      if (mounted.status === 0) spawnSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    });
    if (mounted.status !== 0) {
      t.skip(`cannot mount a tmpfs here (${mounted.stderr.trim() || 'mount failed'}); the injected ENOSPC tests cover this`);
      return;
    }
    const master = makeAudioFile(dir, 'master', 'wav', { genre: 'Rock', seconds: 2 }); // ~88 KB
    const path = copyOf(master, mnt, 'song');
    const sha = fileSha(path);
    // Leave less free space than one more copy of the file needs.
    const filler = join(mnt, 'filler');
    const fh = await open(filler, 'w');
    try {
      for (;;) await fh.write(Buffer.alloc(4096));
    } catch {
      /* full */
    } finally {
      await fh.close();
    }
    truncateSync(filler, Math.max(0, lstatSync(filler).size - 16 * 1024));
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const r = await applyPlan(wctx, [set(path)], APPLY);
    assertFailed(r.results[0], 'io', /copy|write|fsync/, /disk is full/);
    assert.equal(fileSha(path), sha);
    assert.deepEqual(leftoverTempFiles(mnt), []);
  });

  it('a file deleted before or during the batch, or changed while it is written, gets its own result', async (t) => {
    const dir = tempDir(t);
    const master = makeAudioFile(dir, 'master', 'ogg', { genre: 'Rock' });
    const goneBefore = copyOf(master, dir, 'gone-before');
    const goneDuring = copyOf(master, dir, 'gone-during');
    const changedDuring = copyOf(master, dir, 'changed-during');
    const ok = copyOf(master, dir, 'fine');
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const onStep = async (step: Step, path: string) => {
      if (step === 'stat' && path === goneBefore) unlinkSync(goneBefore);
      if (step === 'verify' && path === goneDuring) unlinkSync(goneDuring);
      if (step === 'verify' && path === changedDuring) appendFileSync(changedDuring, 'x');
    };
    const changedSha = fileSha(changedDuring);
    const r = await applyPlan({ ...wctx, onStep }, [set(goneBefore), set(goneDuring), set(changedDuring), set(ok)], APPLY);
    assertFailed(r.results[0], 'io', 'stat', /no longer exists/);
    assertFailed(r.results[1], 'io', /verify|rename/, /no longer exists/);
    assertFailed(r.results[2], 'file-changed', 'rename', /changed while Betti was writing/);
    assert.equal(r.results[3]!.status, 'ok');
    assert.notEqual(fileSha(changedDuring), changedSha, 'the other program’s change is kept, not overwritten');
    assert.equal(readFileSync(changedDuring).subarray(-1).toString('latin1'), 'x');
    assert.equal(mutagenRead([changedDuring])[changedDuring]!.tags.BETTI_TAGS, undefined);
    assert.deepEqual(leftoverTempFiles(dir), []);
  });

  it('a locked file (rename refused, as Windows does for open files) is reported as in use', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'locked', 'm4a', { genre: 'Rock' });
    const sha = fileSha(path);
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const io = {
      ...wctx.io,
      rename: async (src: string) => {
        throw sysError('EBUSY', 'rename', src);
      },
    };
    const r = await applyPlan({ ...wctx, io }, [set(path)], APPLY);
    assertFailed(r.results[0], 'io', 'rename', /in use by another program/);
    assert.equal(fileSha(path), sha);
    assert.deepEqual(leftoverTempFiles(dir), []);
  });

  it('refuses formats it does not write and files that are not audio, each with its reason', async (t) => {
    const dir = tempDir(t);
    const wma = join(dir, 'song.wma');
    const r0 = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.3', '-c:a', 'wmav2', wma]);
    assert.equal(r0.status, 0);
    const text = join(dir, 'notes.mp3');
    writeFileSync(text, 'this is not audio\n');
    const empty = join(dir, 'empty.flac');
    writeFileSync(empty, '');
    const noise = join(dir, 'noise.ogg');
    writeFileSync(noise, Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251)));
    const folder = join(dir, 'folder.mp3');
    mkdirSync(folder);
    const shas = [wma, text, empty, noise].map(fileSha);
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const r = await applyPlan(wctx, [wma, text, empty, noise, folder].map(set), APPLY);
    assertFailed(r.results[0], 'unsupported-format', 'format', /Windows Media|ASF/);
    for (const x of r.results.slice(1, 4)) {
      assert.equal(x.status, 'failed');
      assert.match(x.error!.kind, /unsupported-format|tag-read-failed|io/);
      assert.ok(x.error!.message.includes(x.path), 'the message names the file');
    }
    assertFailed(r.results[4], 'io', 'stat', /folder|not a regular file/);
    assert.deepEqual([wma, text, empty, noise].map(fileSha), shas);
  });

  it('refuses NUL bytes, lone surrogates, empty values and bad field names per file, writing the good file', async (t) => {
    const dir = tempDir(t);
    const master = makeAudioFile(dir, 'master', 'opus', { genre: 'Rock' });
    const files = ['nul', 'surrogate', 'empty', 'name', 'reserved', 'good'].map((n) => copyOf(master, dir, n));
    const shas = files.map(fileSha);
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const items: PlanItem[] = [
      { path: files[0]!, set: { MOOD: ['calm\u0000dark'] }, remove: [] },
      { path: files[1]!, set: { BETTI_TAGS: ['bad \ud800 half'] }, remove: [] },
      { path: files[2]!, set: { GENRE: [''] }, remove: [] },
      { path: files[3]!, set: { 'my tags': ['x'] }, remove: [] },
      { path: files[4]!, set: { TITLE: ['x'] }, remove: [] },
      { path: files[5]!, set: { MOOD: ['calm'] }, remove: [] },
    ];
    const r = await applyPlan(wctx, items, APPLY);
    assertFailed(r.results[0], 'invalid-request', 'MOOD', /NUL/);
    assertFailed(r.results[1], 'invalid-request', 'BETTI_TAGS', /surrogate/);
    assertFailed(r.results[2], 'invalid-request', 'GENRE', /empty/);
    assert.equal(r.results[3]!.error?.where, 'my tags');
    assert.match(r.results[4]!.error!.message, /standard field/);
    assert.equal(r.results[5]!.status, 'ok');
    assert.deepEqual(files.slice(0, 5).map(fileSha), shas.slice(0, 5));
    assert.deepEqual(mutagenRead([files[5]!])[files[5]!]!.tags.MOOD, ['calm']);
  });

  it('writes through a symbolic link to its target (the link stays a link) and refuses a hard-linked file', async (t) => {
    const dir = tempDir(t);
    const target = makeAudioFile(dir, 'target', 'aiff', { genre: 'Rock' });
    const link = join(dir, 'link.aiff');
    symlinkSync(target, link);
    const hard = makeAudioFile(dir, 'hard', 'aiff', { genre: 'Rock' });
    linkSync(hard, join(dir, 'hard-twin.aiff'));
    const hardSha = fileSha(hard);
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const r = await applyPlan(wctx, [set(link), set(hard)], APPLY);
    assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.deepEqual(mutagenRead([target])[target]!.tags['TXXX:BETTI_TAGS'], ['piano']);
    assertFailed(r.results[1], 'io', 'permissions', /hard links/);
    assert.equal(fileSha(hard), hardSha);
  });

  it('a writer that damages the audio or writes other values is caught by verification; the original is untouched', async (t) => {
    const dir = tempDir(t);
    const master = makeAudioFile(dir, 'master', 'flac', { genre: 'Rock' });
    const damaged = copyOf(master, dir, 'damaged');
    const wrong = copyOf(master, dir, 'wrong');
    const crashed = copyOf(master, dir, 'crashed');
    const shas = [damaged, wrong, crashed].map(fileSha);
    const real = createTagWriter();
    const writer: TagWriter = {
      name: 'faulty',
      async write(req) {
        if (req.path.includes('.crashed.')) throw new Error('internal writer failure');
        await real.write(req.path.includes('.wrong.') ? { ...req, writes: req.writes.map((w) => ({ ...w, values: w.values.slice(0, 1) })) } : req);
        if (req.path.includes('.damaged.')) {
          const buf = readFileSync(req.path);
          buf[buf.length - 10] = buf[buf.length - 10]! ^ 0xff; // one byte of the last audio frame
          writeFileSync(req.path, buf);
        }
      },
    };
    const wctx = openWriteContext(dir, { writer });
    t.after(() => wctx.db.close());
    const items = [damaged, wrong, crashed].map((path) => ({ path, set: { GENRE: ['Ambient', 'Jazz'] }, remove: [] }));
    const r = await applyPlan(wctx, items, APPLY);
    assertFailed(r.results[0], 'tag-write-failed', 'audio payload', /not byte-identical/);
    assertFailed(r.results[1], 'tag-write-failed', 'GENRE', /reads back as/);
    assertFailed(r.results[2], 'internal', 'write', /internal writer failure/);
    assert.deepEqual([damaged, wrong, crashed].map(fileSha), shas);
    assert.deepEqual(leftoverTempFiles(dir), []);
    rmSync(join(dir, 'library.db'), { force: true });
  });
});
