import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadJob } from '../../src-main/library/read-pool-protocol.ts';
import { GroupedReadQueue, readKind } from '../../src-main/library/read-queue.ts';

const job = (path: string): ReadJob => ({ path, size: 1, mtimeMs: 1 });
/** Files of the given extensions in turn, as the bench library and many mixed folders hold them. */
const interleaved = (exts: string[], n: number): ReadJob[] => Array.from({ length: n }, (_, i) => job(`/music/album/${String(i).padStart(3, '0')} track.${exts[i % exts.length]}`));
const kinds = (batch: ReadJob[] | undefined) => [...new Set((batch ?? []).map((j) => readKind(j.path)))];

describe('the read queue', () => {
  it('names a file’s kind by its extension, lower-cased, and none for a name without one', () => {
    assert.equal(readKind('/m/a/01 Song.FLAC'), 'flac');
    assert.equal(readKind('/m/a.b/01 Song'), '');
    assert.equal(readKind('/m/a/.hidden'), '');
    assert.equal(readKind('C:\\Music\\x.y\\track.Mp3'), 'mp3');
  });

  it('sends batches of one kind, even from files added in mixed order', () => {
    const q = new GroupedReadQueue<string>();
    for (const j of interleaved(['mp3', 'flac', 'ogg'], 30)) q.add(j);
    const batch = q.take('w1', 4, false);
    assert.equal(batch?.length, 4);
    assert.equal(kinds(batch).length, 1);
    assert.equal(q.waiting, 26);
    assert.equal(q.added, 30);
    assert.equal(q.addedBytes, 30, 'the sizes of the files added (1 byte each here)');
  });

  it('keeps a kind with the worker that first took it, and hands another worker a kind of its own', () => {
    const q = new GroupedReadQueue<string>();
    for (const j of interleaved(['mp3', 'flac'], 40)) q.add(j);
    const first = kinds(q.take('w1', 4, false));
    const second = kinds(q.take('w2', 4, false));
    assert.notDeepEqual(first, second);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(kinds(q.take('w1', 4, false)), first);
      assert.deepEqual(kinds(q.take('w2', 4, false)), second);
    }
  });

  it('lets an idle worker take another worker’s kind rather than wait', () => {
    const q = new GroupedReadQueue<string>();
    for (const j of interleaved(['mp3'], 12)) q.add(j);
    assert.deepEqual(kinds(q.take('w1', 4, false)), ['mp3']);
    assert.deepEqual(kinds(q.take('w2', 4, false)), ['mp3'], 'w2 reads w1’s kind when nothing else waits');
  });

  it('holds back a partial batch until no more files will come, then sends every file once', () => {
    const q = new GroupedReadQueue<string>();
    const all = interleaved(['mp3', 'flac', 'ogg', 'm4a', 'opus'], 23);
    for (const j of all) q.add(j);
    const sent: ReadJob[] = [];
    for (let b = q.take('w', 4, false); b; b = q.take('w', 4, false)) sent.push(...b);
    assert.equal(q.waiting, 23 - sent.length);
    assert.ok(q.waiting > 0, 'some kinds had less than a batch');
    for (let b = q.take('w', 4, true); b; b = q.take('w', 4, true)) sent.push(...b);
    assert.equal(q.waiting, 0);
    assert.deepEqual(sent.map((j) => j.path).sort(), all.map((j) => j.path).sort());
  });

  it('gives a dead worker’s kinds to whichever worker takes them next', () => {
    const q = new GroupedReadQueue<string>();
    for (const j of interleaved(['mp3', 'flac'], 16)) q.add(j);
    const mine = kinds(q.take('w1', 4, false));
    kinds(q.take('w2', 4, false));
    q.release('w1');
    assert.deepEqual(kinds(q.take('w3', 4, false)), mine, 'the released kind is free, so w3 claims it before taking w2’s');
  });

  it('drains one file at a time, of any kind, for reporting what is left', () => {
    const q = new GroupedReadQueue<string>();
    for (const j of interleaved(['mp3', 'flac'], 3)) q.add(j);
    const out = [q.takeOne(), q.takeOne(), q.takeOne(), q.takeOne()];
    assert.equal(out.filter(Boolean).length, 3);
    assert.equal(out[3], undefined);
    assert.equal(q.waiting, 0);
  });
});
