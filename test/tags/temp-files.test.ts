// Temporary copies: hidden, beside the original, recognisable, and swept when their process is gone.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { sweepTempFiles, tempOwner, tempPathFor } from '../../src-main/tags/temp-files.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('temporary copies', () => {
  it('are hidden files in the same folder, named after the original and the process that made them', () => {
    const p = tempPathFor('/music/Album/01 Song.flac', 4242);
    assert.equal(dirname(p), '/music/Album');
    assert.match(basename(p), /^\.01 Song\.flac\.betti-tmp-4242-[0-9a-f]{8}$/);
    assert.equal(tempOwner(basename(p)), 4242);
    assert.notEqual(tempPathFor('/music/a.mp3'), tempPathFor('/music/a.mp3'), 'two copies never share a name');
    assert.equal(tempOwner('.a.mp3.partial'), undefined);
    assert.equal(tempOwner('a.mp3'), undefined);
  });

  it('stay within 255 bytes for the longest names, shortening the original part only', () => {
    const name = `${'ü'.repeat(120)}.flac`; // 245 bytes of UTF-8
    const p = tempPathFor(`/m/${name}`, 1);
    assert.ok(Buffer.byteLength(basename(p)) <= 255);
    assert.equal(tempOwner(basename(p)), 1);
  });

  it('are swept when the process that made them is gone, and kept while it runs', (t) => {
    const dir = tempDir(t);
    const dead = join(dir, '.a.mp3.betti-tmp-999999-0123abcd');
    const live = join(dir, `.b.mp3.betti-tmp-${process.pid}-0123abcd`);
    const other = join(dir, '.c.mp3.betti-tmp-notapid');
    for (const f of [dead, live, other]) writeFileSync(f, 'x');
    return sweepTempFiles(dir, (pid) => pid === process.pid).then((removed) => {
      assert.deepEqual(removed, [dead]);
      assert.ok(existsSync(live) && existsSync(other));
      assert.equal(readdirSync(dir).length, 2);
    });
  });
});
