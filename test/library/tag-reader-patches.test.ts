// Betti reads tags with music-metadata as patched by patches/music-metadata+<version>.patch
// (applied by `npm ci` through patch-package): an ID3v2 tag's padding ends its frame walk, parsers
// are loaded once, and one tag mapper serves every parse. These are the behaviours the patch must
// keep or give; if an upgrade drops the patch, they say so.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseFile } from 'music-metadata';
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

  it('is the version the patch was made for', () => {
    const installed = (JSON.parse(readFileSync(join(repoRoot, 'node_modules/music-metadata/package.json'), 'utf8')) as { version: string }).version;
    assert.ok(readFileSync(join(repoRoot, 'patches', `music-metadata+${installed}.patch`), 'utf8').length > 0, `patches/music-metadata+${installed}.patch`);
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
