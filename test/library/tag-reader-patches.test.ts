// Betti reads tags with music-metadata as patched by patches/music-metadata+<version>.patch
// (applied by `npm ci` through patch-package): an ID3v2 tag's padding ends its frame walk, parsers
// are loaded once, and one tag mapper serves every parse. Its number decoder, token-types, is
// patched too (patches/token-types+<version>.patch): the view of the last array decoded is kept
// for the next value. These are the behaviours the patches must keep or give; if an upgrade drops
// a patch, they say so.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseFile } from 'music-metadata';
import { INT32_BE, UINT16_LE, UINT8 } from 'token-types';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { encode, fixtureFormats, mutagenWrite } from '../helpers/library-fixtures.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the patched tag reader', () => {
  const dir = tempDir({ after }, 'betti-tag-reader-');
  const files: Record<string, string> = {};
  before(() => {
    for (const k of ['mp3', 'flac', 'm4a', 'ogg', 'opus'] as const) {
      const path = encode(dir, `piece-${k}`, fixtureFormats[k]!, { seconds: 0.3 });
      // mutagen leaves the usual kilobyte of padding after an ID3v2 tag.
      mutagenWrite(path, { title: `Title of ${k}`, artists: [`Artist of ${k}`], genres: [`Genre of ${k}`] });
      files[k] = path;
    }
  });

  it('is the version the patches were made for', () => {
    for (const pkg of ['music-metadata', 'token-types']) {
      const installed = (JSON.parse(readFileSync(join(repoRoot, `node_modules/${pkg}/package.json`), 'utf8')) as { version: string }).version;
      assert.ok(readFileSync(join(repoRoot, 'patches', `${pkg}+${installed}.patch`), 'utf8').length > 0, `patches/${pkg}+${installed}.patch`);
    }
  });

  it('decodes numbers right when the arrays it is handed change, views into one buffer included', () => {
    const buffer = new ArrayBuffer(16);
    const whole = new Uint8Array(buffer);
    whole.set([0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe, 7, 1, 2, 3, 4, 5, 6, 9]);
    const tail = whole.subarray(8); // the same buffer, another offset
    const other = Uint8Array.of(0x12, 0x34, 0x56, 0x78);
    // Alternate arrays so a kept view would be the wrong one if the patch compared anything but identity.
    assert.equal(INT32_BE.get(whole, 0), 256);
    assert.equal(UINT8.get(tail, 0), 7);
    assert.equal(INT32_BE.get(whole, 4), -2);
    assert.equal(INT32_BE.get(other, 0), 0x12345678);
    assert.equal(UINT16_LE.get(tail, 1), 0x0201);
    whole[8] = 42; // a view sees writes to its buffer
    assert.equal(UINT8.get(tail, 0), 42);
  });

  it('stops at the padding of an ID3v2 tag instead of reading it as empty frames', async () => {
    const id3 = readFileSync(files.mp3!);
    assert.equal(id3.subarray(0, 3).toString('latin1'), 'ID3');
    const meta = await parseFile(files.mp3!);
    assert.deepEqual(meta.quality.warnings, [], 'no "frame-header-ID: \\0\\0\\0\\0" per padding byte, no "Illegal ID3v2 tag length" at its end');
    assert.equal(meta.common.title, 'Title of mp3');
    assert.deepEqual((await readTrackFile(files.mp3!)).warnings, []);
  });

  it('maps each file’s own tags when parses of different formats run one after another and at once', async () => {
    const order = ['mp3', 'flac', 'mp3', 'm4a', 'ogg', 'opus', 'flac', 'm4a'];
    const one = [];
    for (const k of order) one.push(await parseFile(files[k]!));
    const together = await Promise.all(order.map((k) => parseFile(files[k]!)));
    for (const results of [one, together]) {
      results.forEach((meta, i) => {
        const k = order[i]!;
        assert.equal(meta.common.title, `Title of ${k}`, k);
        assert.deepEqual(meta.common.artists, [`Artist of ${k}`], k);
        assert.deepEqual(meta.common.genre, [`Genre of ${k}`], k);
      });
    }
  });
});
