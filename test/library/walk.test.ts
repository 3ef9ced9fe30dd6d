import assert from 'node:assert/strict';
import fs, { mkdirSync, symlinkSync, writeFileSync, type PathLike, type StatSyncOptions } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { classifyFileName } from '../../src-main/library/audio-files.ts';
import { walkAudioFiles, type FoundFile } from '../../src-main/library/walk.ts';
import { copy, encode, fixtureFormats } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

/** The walk, with the files it hands over collected in order. */
async function walk(roots: string[]) {
  const files: FoundFile[] = [];
  const r = await walkAudioFiles(roots, (f) => files.push(f));
  assert.equal(r.found, files.length, 'found counts the files handed over');
  return { ...r, files };
}

describe('walking music folders', () => {
  const dir = tempDir({ after }, 'betti-walk-');
  let flac = '';
  before(() => {
    flac = encode(dir, 'source', fixtureFormats.flac!);
  });

  it('finds audio by extension in nested folders (a folder\'s files, then its subfolders, by name) and skips what is not audio', async () => {
    const root = join(dir, 'lib1');
    mkdirSync(join(root, 'B', 'inner'), { recursive: true });
    mkdirSync(join(root, 'a'));
    copy(flac, join(root, 'B', 'inner', '2.flac'));
    copy(flac, join(root, 'a', '1.FLAC'));
    copy(flac, join(root, 'B', 'z.flac'));
    writeFileSync(join(root, 'a', 'cover.jpg'), 'jpeg');
    writeFileSync(join(root, 'a', 'notes.txt'), 'text');
    copy(flac, join(root, 'a', '.hidden.flac'));
    mkdirSync(join(root, '.git'));
    copy(flac, join(root, '.git', 'x.flac'));
    const r = await walk([root]);
    assert.deepEqual(r.files.map((f) => f.path.slice(root.length)), ['/B/z.flac', '/B/inner/2.flac', '/a/1.FLAC']);
    assert.deepEqual(r.issues, []);
    assert.ok(r.files.every((f) => f.size > 0 && f.mtimeMs > 0));
  });

  it('finds audio by content when the name has no or an unknown extension, and not text that pretends', async () => {
    const root = join(dir, 'lib2');
    mkdirSync(root);
    copy(flac, join(root, 'no-extension'));
    copy(flac, join(root, 'track.unknownext'));
    writeFileSync(join(root, 'README'), 'just words');
    writeFileSync(join(root, 'fake.mp3'), 'text named .mp3 is a candidate: the scan reports it');
    const r = await walk([root]);
    assert.deepEqual(r.files.map((f) => f.path.slice(root.length)).sort(), ['/fake.mp3', '/no-extension', '/track.unknownext']);
  });

  it('follows symbolic links but walks a folder reached twice (a link loop) once', async () => {
    const root = join(dir, 'lib3');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    copy(flac, join(root, 'a', 'b', 'song.flac'));
    symlinkSync('..', join(root, 'a', 'b', 'up')); // a loop
    symlinkSync(join(root, 'a'), join(root, 'again')); // a second way in
    symlinkSync(join(root, 'a', 'b', 'song.flac'), join(root, 'link.flac')); // the same file again
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling.flac'));
    const r = await walk([root]);
    assert.equal(r.files.length, 1);
    assert.equal(r.issues.length, 1, 'only the dangling audio link is reported');
    assert.match(r.issues[0]!.message, /dangling\.flac: the file disappeared|does not exist|dangling/);
  });

  it('reports a file whose name is not valid UTF-8 instead of losing or mangling it', async () => {
    const root = join(dir, 'lib4');
    mkdirSync(root);
    copy(flac, join(root, 'good.flac'));
    writeFileSync(Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.flac')]), 'x');
    const r = await walk([root]);
    assert.deepEqual(r.files.map((f) => f.path.slice(root.length)), ['/good.flac']);
    assert.equal(r.badNames.length, 1);
    assert.match(r.badNames[0]!.path, /bad-\uFFFD\uFFFD\.flac$/);
  });

  it('reports a root that is not there and walks the others', async () => {
    const root = join(dir, 'lib5');
    mkdirSync(root);
    copy(flac, join(root, 'x.flac'));
    const r = await walk([join(dir, 'absent'), root]);
    assert.equal(r.files.length, 1);
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]!.folder, true);
  });

  it('lets the event loop run every few tens of milliseconds, however slow the file system', async () => {
    // A share where each stat takes 2 ms: one folder of 200 files is 0.4 s of stats.
    const root = join(dir, 'slow share');
    mkdirSync(root);
    for (let i = 0; i < 200; i++) copy(flac, join(root, `${String(i).padStart(3, '0')}.flac`));
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const patchable = fs as { statSync: typeof fs.statSync }; // the CommonJS exports, which syncBuiltinESMExports copies
    const realStat = fs.statSync;
    patchable.statSync = ((path: PathLike, options?: StatSyncOptions) => {
      if (String(path).startsWith(root)) Atomics.wait(sleeper, 0, 0, 2);
      return realStat(path, options);
    }) as typeof fs.statSync;
    syncBuiltinESMExports(); // the walk's `import { statSync } from 'node:fs'` now sees it
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      gaps.push(performance.now() - last);
      last = performance.now();
    }, 1);
    try {
      const r = await walk([root]);
      assert.equal(r.files.length, 200);
    } finally {
      clearInterval(timer);
      patchable.statSync = realStat;
      syncBuiltinESMExports();
    }
    // 0.4 s and more of stats: every few tens of milliseconds is 8 turns at least (before: none).
    assert.ok(gaps.length >= 8, `the event loop ran during the walk (${gaps.length} times, longest wait ${Math.max(...gaps).toFixed(0)} ms)`);
  });

  it('sorts names into read, sniff and skip', () => {
    assert.equal(classifyFileName('a.Mp3'), 'audio-extension');
    assert.equal(classifyFileName('a.wv'), 'audio-extension');
    assert.equal(classifyFileName('cover.JPG'), 'skip');
    assert.equal(classifyFileName('._a.mp3'), 'skip');
    assert.equal(classifyFileName('track'), 'sniff');
    assert.equal(classifyFileName('track.xyz'), 'sniff');
    assert.equal(classifyFileName('track.'), 'sniff');
    assert.equal(classifyFileName('Vol. 2'), 'sniff');
    assert.equal(classifyFileName('scans.tar.gz'), 'skip');
    assert.equal(classifyFileName('live.2001.FLAC'), 'audio-extension');
  });
});
