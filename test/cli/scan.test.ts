import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bettiBin, parseJsonOutput, repoRoot, runBetti } from '../helpers/cli.ts';
import { copy, encode, fixtureFormats } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Summary {
  scanned: number;
  new: number;
  changed: number;
  moved: number;
  missing: number;
  errors: number;
  unchanged: number;
  cancelled: boolean;
  errorFiles: { path: string; kind: string; message: string }[];
}
interface ListResult {
  total: number;
  offset: number;
  limit: number;
  tracks: { id: number; path: string; missing: boolean; error: { message: string } | null; audio: { format: string | null }; tags: { title: string | null } }[];
}

describe('betti scan and betti library', () => {
  const dir = tempDir({ after }, 'betti-cli-scan-');
  const music = join(dir, 'music');
  let flac = '';
  before(() => {
    mkdirSync(join(music, 'album'), { recursive: true });
    flac = encode(dir, 'one', fixtureFormats.flac!, { metadata: { title: 'First Light', artist: 'Nadia' } });
    copy(flac, join(music, 'album', '01.flac'));
    encode(join(music, 'album'), '02', fixtureFormats.mp3!, { metadata: { title: 'Second Wind', artist: 'Nadia', genre: 'Folk' } });
    writeFileSync(join(music, 'album', 'broken.mp3'), 'not audio at all');
  });

  it('prints the summary line and how to list the errors', () => {
    const db = join(dir, 'human.db');
    const r = runBetti(['--db', db, 'scan', music]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Could not read 1 file\(s\) or folder\(s\):\n {2}.*broken\.mp3: not a recognised audio container/);
    assert.match(r.stdout, /^scanned 3, new 3, changed 0, moved 0, missing 0, errors 1 \(unchanged 0, \d+\.\d s\)$/m);
    assert.match(r.stdout, /List the files with errors: betti library --errors\n$/);
    const again = runBetti(['--db', db, 'scan', music]);
    assert.match(again.stdout, /^scanned 3, new 0, changed 0, moved 0, missing 0, errors 1 \(unchanged 3, /m);
    assert.doesNotMatch(again.stdout, /read .* again/i);
    // Rows an older Betti wrote are read again, and the summary says why the rescan read files.
    const raw = new DatabaseSync(db);
    raw.exec('UPDATE tracks SET reader_version = 0');
    raw.close();
    const refreshed = runBetti(['--db', db, 'scan', music]);
    assert.match(refreshed.stdout, /^scanned 3, new 0, changed 0, moved 0, missing 0, errors 1 \(unchanged 3, /m);
    assert.match(refreshed.stdout, /^Read 2 unchanged file\(s\) again: this version of Betti reads more from them than the one that scanned them\.$/m);
  });

  it('prints one JSON document with the summary and every per-file error, and its progress as JSON lines on stderr', () => {
    const r = runBetti(['--db', join(dir, 'json.db'), 'scan', music, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = parseJsonOutput<Summary>(r);
    assert.deepEqual([s.scanned, s.new, s.errors, s.cancelled], [3, 3, 1, false]);
    assert.equal(s.errorFiles.length, 1);
    assert.equal(s.errorFiles[0]!.path, join(music, 'album', 'broken.mp3'));
    assert.equal(s.errorFiles[0]!.kind, 'unsupported-format');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    const events = lines.map((l) => (JSON.parse(l) as { progress: { done: number; total: number; path: string; phase: string } }).progress);
    assert.deepEqual([...new Set(events.map((e) => e.phase))], ['walk', 'read', 'finish'], r.stderr);
    assert.deepEqual(events.at(-1), { done: 3, total: 3, path: '', phase: 'finish' });
    assert.ok(events.filter((e) => e.phase === 'walk').every((e) => e.total === 0 && e.done <= 3), 'the walk counts the files found so far');
  });

  it('refuses a folder that does not exist with exit status 1 and a hint', () => {
    const r = runBetti(['--db', join(dir, 'x.db'), 'scan', join(dir, 'nope')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /nope: no such folder or file; nothing was scanned\n {2}Check the path/);
    const j = runBetti(['--db', join(dir, 'x.db'), 'scan', join(dir, 'nope'), '--json']);
    assert.equal(parseJsonOutput<{ error: { kind: string } }>(j).error.kind, 'not-found');
  });

  it('lists the library, filtered by words, format and errors, with paging', () => {
    const db = join(dir, 'list.db');
    runBetti(['--db', db, 'scan', music]);
    const all = parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--json']));
    assert.equal(all.total, 3);
    assert.deepEqual(parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', 'second', '--json'])).tracks.map((t) => t.tags.title), ['Second Wind']);
    assert.deepEqual(parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--format', 'flac', '--json'])).tracks.map((t) => t.tags.title), ['First Light']);
    assert.deepEqual(parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--format', ' FLAC ', '--json'])).tracks.map((t) => t.tags.title), ['First Light'], 'any case, spaces trimmed');
    const errors = parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--errors', '--json']));
    assert.deepEqual(errors.tracks.map((t) => t.path), [join(music, 'album', 'broken.mp3')]);
    const page = parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--sort', 'title', '--limit', '1', '--offset', '1', '--json']));
    assert.equal(page.tracks.length, 1);
    assert.equal(page.tracks[0]!.tags.title, 'First Light');
    const human = runBetti(['--db', db, 'library', '--errors']);
    assert.match(human.stdout, /E \?.*broken\.mp3\n {9}.*broken\.mp3: not a recognised audio container/);
    assert.match(human.stdout, /1–1 of 1 \(M: missing, E: could not be read\)/);
    // Nothing is analysed or suggested yet: the tag filter finds the file's genre only.
    assert.deepEqual(parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--tag', 'folk', '--json'])).tracks.map((t) => t.tags.title), ['Second Wind']);
    assert.equal(parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--analysed', '--json'])).total, 0);
    assert.equal(parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--unanalysed', '--json'])).total, 3);
    assert.equal(parseJsonOutput<ListResult>(runBetti(['--db', db, 'library', '--suggestions', '--json'])).total, 0);
    const humanAll = runBetti(['--db', db, 'library', '--limit', '2']);
    assert.match(humanAll.stdout, /Nadia – First Light/);
    assert.match(humanAll.stdout, /More: add --offset 2/);
  });

  it('refuses bad filters with exit status 2, naming the flag and what it takes', () => {
    const db = join(dir, 'list.db');
    const badFormat = runBetti(['--db', db, 'library', '--format', 'flac,mp5']);
    assert.equal(badFormat.status, 2);
    assert.match(badFormat.stderr, /--format: "mp5" is not one of mp3, aac, flac, /);
    const badSort = runBetti(['--db', db, 'library', '--sort', 'colour']);
    assert.equal(badSort.status, 2);
    assert.match(badSort.stderr, /--sort: "colour" is not one of artist, album, title, /);
    const tooMany = runBetti(['--db', db, 'library', '--limit', '5000']);
    assert.equal(tooMany.status, 2);
    assert.match(tooMany.stderr, /--limit must be from 1 to 1000, got 5000/);
    assert.equal(runBetti(['--db', db, 'library', '--limit', 'ten']).status, 2);
    assert.equal(runBetti(['--db', db, 'library', '--missing', '--present']).status, 2);
    assert.equal(runBetti(['--db', db, 'library', '--analysed', '--unanalysed']).status, 2);
    assert.equal(runBetti(['--db', db, 'library', '--tag', ' ']).status, 2, 'a blank tag is a usage error');
  });

  it('reports unreadable files and folders, and does not take a locked folder\'s tracks for missing', () => {
    const root = join(dir, 'perm');
    mkdirSync(join(root, 'locked'), { recursive: true });
    copy(flac, join(root, 'ok.flac'));
    copy(flac, join(root, 'secret.flac'));
    copy(flac, join(root, 'locked', 'inside.flac'));
    const dbDir = join(dir, 'perm-db');
    mkdirSync(dbDir);
    // Running as root, permissions do not apply: run betti as `nobody` instead.
    chmodSync(dir, 0o755);
    chmodSync(dbDir, 0o777);
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const scan = () => {
      const r = spawnSync(process.execPath, [bettiBin, '--db', join(dbDir, 'lib.db'), 'scan', root, '--json'], { cwd: repoRoot, encoding: 'utf8', ...asUser });
      return parseJsonOutput<Summary>({ status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    };
    chmodSync(join(root, 'secret.flac'), 0o000);
    try {
      const first = scan();
      assert.equal(first.new, 3);
      assert.equal(first.errors, 1);
      chmodSync(join(root, 'locked'), 0o000);
      const s = scan();
      assert.equal(s.missing, 0, 'tracks in a folder that cannot be listed are not missing');
      assert.equal(s.errors, 2);
      assert.match(s.errorFiles.find((e) => e.path.endsWith('secret.flac'))?.message ?? '', /permission denied; give your user read permission/);
      assert.match(s.errorFiles.find((e) => e.path.endsWith('locked'))?.message ?? '', /cannot list this folder: permission denied/);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
      chmodSync(join(root, 'secret.flac'), 0o644);
    }
  });

  it('leaves a complete, consistent library when a scan is killed mid-way and run again', async () => {
    const root = join(dir, 'kill');
    const count = 600;
    for (let i = 0; i < count; i++) {
      const sub = join(root, `disc${i % 6}`);
      if (i < 6) mkdirSync(sub, { recursive: true });
      copy(flac, join(sub, `track ${String(i).padStart(3, '0')}.flac`));
    }
    const dbPath = join(dir, 'kill.db');
    const child = spawn(process.execPath, [bettiBin, '--db', dbPath, 'scan', root, '--json'], { cwd: repoRoot, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill it as soon as its first batch of rows is committed.
    let committed = 0;
    for (let waited = 0; waited < 60_000 && committed === 0; waited += 10) {
      await sleep(10);
      try {
        const peek = new DatabaseSync(dbPath, { readOnly: true });
        committed = (peek.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'tracks'").get() as { n: number }).n
          ? (peek.prepare('SELECT count(*) AS n FROM tracks').get() as { n: number }).n
          : 0;
        peek.close();
      } catch {
        // not created yet, or mid-migration
      }
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.ok(committed > 0 && committed < count, `killed mid-way (${committed} of ${count} rows committed)`);

    const r = runBetti(['--db', dbPath, 'scan', root, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = parseJsonOutput<Summary>(r);
    assert.equal(s.scanned, count);
    assert.equal(s.errors, 0);
    assert.equal(s.missing, 0);
    assert.equal(s.new + s.unchanged, count);
    assert.ok(s.unchanged >= committed, `rows committed before the kill were kept (${s.unchanged} ≥ ${committed})`);
    const db = new DatabaseSync(dbPath, { readOnly: true });
    const rows = db.prepare('SELECT path, error_kind, missing, fingerprint FROM tracks').all() as { path: string; error_kind: string | null; missing: number; fingerprint: string }[];
    db.close();
    assert.equal(rows.length, count);
    assert.equal(new Set(rows.map((x) => x.path)).size, count, 'every file once');
    assert.ok(rows.every((x) => x.error_kind === null && x.missing === 0 && /^[0-9a-f]{64}$/.test(x.fingerprint)));
    const check = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
    if (check.status === 0) {
      assert.equal(spawnSync('sqlite3', [dbPath, 'PRAGMA integrity_check'], { encoding: 'utf8' }).stdout.trim(), 'ok');
    } else {
      const raw = new DatabaseSync(dbPath, { readOnly: true });
      assert.deepEqual(raw.prepare('PRAGMA integrity_check').all().map((x) => Object.values(x as object)[0]), ['ok']);
      raw.close();
    }
  });
});
