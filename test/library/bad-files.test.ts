// Bad input gets a clear per-file error and the scan goes on: nothing crashes, good files beside
// bad ones are read, and each error names its file and is stored with it.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { getTrackByPath, listTracks } from '../../src-main/library/db/queries/tracks.ts';
import { scanFolders, type ScanSummary } from '../../src-main/library/scan.ts';
import type { TrackRow } from '../../src-main/library/track.ts';
import { copy, encode, fixtureFormats, mutagenWrite } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Makes a folder chain deeper than PATH_MAX (4096) by creating each level relative to the last. */
function makeTooLongPath(root: string): string {
  const name = 'd'.repeat(200);
  const cwd = process.cwd();
  let depth = 0;
  try {
    process.chdir(root);
    for (; depth < 24; depth++) {
      mkdirSync(name);
      process.chdir(name);
    }
    writeFileSync('deep.flac', 'never read');
  } finally {
    process.chdir(cwd);
  }
  return join(root, ...Array.from({ length: depth }, () => name));
}

/** A copy of a FLAC file whose VORBIS_COMMENT block claims a vendor string of 2 GB. */
function withBrokenVorbisComment(flac: Buffer): Buffer {
  const b = Buffer.from(flac);
  let at = 4;
  for (;;) {
    const type = b[at]! & 0x7f;
    const length = b.readUIntBE(at + 1, 3);
    if (type === 4) {
      b.writeUInt32LE(0x7fffffff, at + 4);
      return b;
    }
    if (b[at]! & 0x80) throw new Error('the fixture has no Vorbis comment block');
    at += 4 + length;
  }
}

/** Removes a folder chain too deep for one path, bottom-up, one level at a time. */
function removeTooLongPath(root: string, depth: number): void {
  const name = 'd'.repeat(200);
  const cwd = process.cwd();
  try {
    process.chdir(root);
    for (let i = 0; i < depth; i++) process.chdir(name);
    rmSync('deep.flac', { force: true });
    for (let i = 0; i < depth; i++) {
      process.chdir('..');
      rmSync(name, { recursive: true, force: true });
    }
  } finally {
    process.chdir(cwd);
  }
}

describe('scanning bad files', () => {
  const lib0 = { root: '' };
  // After hooks run in the order they are registered: the deep chain goes first (no single path
  // can reach it), then the temporary folder.
  after(() => removeTooLongPath(lib0.root, 24));
  const dir = tempDir({ after }, 'betti-bad-');
  const lib = join(dir, 'music');
  lib0.root = lib;
  let summary: ScanSummary;
  const rows = new Map<string, TrackRow | undefined>();
  const p = (name: string) => join(lib, name);
  let longDir = '';

  before(async () => {
    mkdirSync(lib);
    const flac = encode(dir, 'good', fixtureFormats.flac!, { metadata: { title: 'Good' } });
    copy(flac, p('good.flac'));
    writeFileSync(p('empty.mp3'), '');
    writeFileSync(p('text.mp3'), 'This is a shopping list, not a song\n');
    writeFileSync(p('random.ogg'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    writeFileSync(p('random.flac'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 104729 + 7) % 253)));
    const cut = (src: string, name: string, keep: number) => writeFileSync(p(name), readFileSync(src).subarray(0, keep));
    cut(flac, 'cut-in-header.flac', 60);
    const m4a = encode(dir, 'm4a', fixtureFormats.m4a!);
    cut(m4a, 'truncated.m4a', Math.floor(readFileSync(m4a).length * 0.7));
    const ogg = encode(dir, 'ogg', fixtureFormats.ogg!);
    cut(ogg, 'truncated.ogg', Math.floor(readFileSync(ogg).length * 0.7));
    const wav = encode(dir, 'wav', fixtureFormats.wav!);
    cut(wav, 'truncated.wav', Math.floor(readFileSync(wav).length * 0.7));
    const mp3 = encode(dir, 'mp3', fixtureFormats.mp3!, { seconds: 2 });
    cut(mp3, 'truncated.mp3', Math.floor(readFileSync(mp3).length * 0.5));
    // An ID3v2 header claiming more bytes than the file has.
    const body = readFileSync(mp3);
    writeFileSync(p('id3-too-big.mp3'), Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f]), body]));
    // A FLAC whose Vorbis comment block lies about its vendor string's length.
    writeFileSync(p('bad-vorbis-comment.flac'), withBrokenVorbisComment(readFileSync(flac)));
    // Huge tags: a 3 MB comment and 5,000 genres.
    copy(mp3, p('huge-tags.mp3'));
    mutagenWrite(p('huge-tags.mp3'), { title: 'Huge', comment: 'x'.repeat(3 * 1024 * 1024), genres: Array.from({ length: 5000 }, (_, i) => `g${i}`) });
    // A name that is not valid UTF-8.
    writeFileSync(Buffer.concat([Buffer.from(`${lib}/name-`), Buffer.from([0xc3, 0x28]), Buffer.from('.flac')]), readFileSync(flac));
    longDir = makeTooLongPath(lib);
    copy(flac, p('deleted-during-scan.flac'));

    const db = openLibraryDb(join(dir, 'library.db'));
    let deleted = false;
    summary = await scanFolders(db, [lib], {
      workers: 0,
      onProgress: (pr) => {
        // After the walk found it, before it is read.
        if (pr.phase === 'walk' && pr.total === 0 && pr.path === '' && !deleted) {
          rmSync(p('deleted-during-scan.flac'));
          deleted = true;
        }
      },
    });
    for (const t of listTracks(db, { limit: 1000 }).tracks) rows.set(t.path, getTrackByPath(db, t.path));
    db.close();
  });

  const errorOf = (name: string) => summary.errorFiles.find((e) => e.path === p(name));

  it('finishes, reads the good file and counts every bad one', () => {
    assert.equal(summary.cancelled, false);
    assert.equal(rows.get(p('good.flac'))?.tags.title, 'Good');
    assert.equal(rows.get(p('good.flac'))?.error, null);
    assert.equal(summary.errors, summary.errorFiles.length);
    assert.equal(summary.errors, 14, summary.errorFiles.map((e) => e.message).join('\n'));
  });

  for (const [name, pattern] of [
    ['empty.mp3', /empty \(0 bytes\)/],
    ['text.mp3', /not a recognised audio container/],
    ['random.ogg', /not a recognised audio container/],
    ['random.flac', /not a recognised audio container/],
    ['cut-in-header.flac', /malformed FLAC file: .*truncated file\?/],
    ['truncated.m4a', /truncated/],
    ['truncated.ogg', /truncated/],
    ['truncated.wav', /truncated/],
    ['truncated.mp3', /truncated/],
    ['id3-too-big.mp3', /damaged file: its ID3v2 tag declares \d+ bytes but only \d+ are there \(truncated file\?\)/],
    ['bad-vorbis-comment.flac', /a tag is malformed/],
  ] as const) {
    it(`stores a clear error with ${name} and names the file`, () => {
      const row = rows.get(p(name));
      assert.ok(row, `${name} has a row`);
      assert.ok(row.error, `${name} has an error`);
      assert.match(row.error.message, pattern);
      assert.ok(row.error.message.startsWith(p(name)), row.error.message);
      assert.deepEqual(errorOf(name), { path: p(name), kind: row.error.kind, message: row.error.message });
    });
  }

  it('reads a file with huge tags, cutting what is absurd and saying so', () => {
    const row = rows.get(p('huge-tags.mp3'))!;
    assert.equal(row.error, null);
    assert.equal(row.tags.title, 'Huge');
    assert.equal(row.tags.comment?.length, 16 * 1024);
    assert.ok(row.warnings.some((w) => /comment: a 3145728-character value was cut/.test(w)), row.warnings.join('\n'));
    assert.equal(row.tags.genres.length, 5000);
  });

  it('reports a name that is not valid UTF-8 with what to do, and keeps it with its error', () => {
    const e = summary.errorFiles.find((x) => x.path.includes('name-'));
    assert.ok(e);
    assert.match(e.message, /not valid UTF-8.*rename it/);
    assert.ok(rows.get(e.path)?.error);
  });

  it('reports a folder deeper than the system allows and goes on', () => {
    const e = summary.errorFiles.find((x) => x.path.startsWith(longDir.slice(0, 3000)));
    assert.ok(e, summary.errorFiles.map((x) => x.message.slice(0, 80)).join('\n'));
    assert.match(e.message, /longer than the system allows/);
  });

  it('reports a file deleted during the scan without storing it', () => {
    const e = errorOf('deleted-during-scan.flac');
    assert.ok(e);
    assert.match(e.message, /disappeared/);
    assert.equal(rows.has(p('deleted-during-scan.flac')), false);
  });

  it('shows the same errors again on a rescan (failed files are re-read)', async () => {
    const db = openLibraryDb(join(dir, 'library.db'));
    const again = await scanFolders(db, [lib], { workers: 0 });
    db.close();
    assert.equal(again.new, 0);
    assert.equal(again.changed, 0);
    assert.equal(again.errors, summary.errors - 1, 'all but the deleted file');
  });
});
