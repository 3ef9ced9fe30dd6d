// `betti apply`, `betti history` and `betti undo` as a person or a script runs them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ApplyResult, BatchSummary } from '../../src-main/api/schemas/write.ts';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { upsertSuggestions } from '../../src-main/library/db/queries/suggestions.ts';
import { getTrackByPath } from '../../src-main/library/db/queries/tracks.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile } from '../tags/helpers/fixtures.ts';
import { mutagenRead, mutagenValues } from '../tags/helpers/readers.ts';

describe('betti apply / history / undo', () => {
  it('applies a plan file (relative paths from its folder), names each file ok or its error with the batch id, and exits 1 on a failure', (t) => {
    const dir = tempDir(t);
    const song = makeAudioFile(dir, 'song', 'mp3', { genre: 'Rock' });
    const db = join(dir, 'lib.db');
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ files: [{ path: 'song.mp3', set: { GENRE: ['Ambient'], BETTI_TAGS: ['piano', 'slow'] }, mode: 'append' }, { path: 'missing.mp3', set: { GENRE: ['x'] } }] }));
    const dry = runBetti(['--db', db, 'apply', '--plan', plan, '--dry-run', '--json']);
    const d = parseJsonOutput<ApplyResult>(dry);
    assert.equal(d.dryRun, true);
    assert.equal(d.batchId, null);
    assert.deepEqual(mutagenValues(mutagenRead([song])[song]!, 'mp3', 'GENRE', '2.4'), ['Rock'], 'a dry run writes nothing');

    const r = runBetti(['--db', db, 'apply', '--plan', plan, '--json']);
    assert.equal(r.status, 1, r.stderr);
    const out = parseJsonOutput<ApplyResult>(r);
    assert.equal(typeof out.batchId, 'number');
    assert.deepEqual(
      out.results.map((x) => [x.path, x.status, x.error?.kind]),
      [
        [song, 'ok', undefined],
        [join(dir, 'missing.mp3'), 'failed', 'io'],
      ],
    );
    assert.deepEqual(mutagenValues(mutagenRead([song])[song]!, 'mp3', 'BETTI_TAGS', '2.4'), ['piano', 'slow']);

    const human = runBetti(['--db', db, 'history']);
    assert.equal(human.status, 0);
    assert.match(human.stdout, /apply \(plan\)\s+written 1, unchanged 0, failed 1/);
    const h = parseJsonOutput<{ batches: BatchSummary[] }>(runBetti(['--db', db, 'history', '--json']));
    assert.equal(h.batches[0]!.id, out.batchId);

    const u = runBetti(['--db', db, 'undo', String(out.batchId), '--json']);
    assert.equal(u.status, 0, u.stdout);
    assert.deepEqual(parseJsonOutput<{ undone: number[] }>(u).undone, [out.batchId]);
    assert.deepEqual(mutagenValues(mutagenRead([song])[song]!, 'mp3', 'BETTI_TAGS', '2.4'), []);
    const shown = runBetti(['--db', db, 'history', String(out.batchId)]);
    assert.match(shown.stdout, /undone by/);
    assert.match(shown.stdout, /BETTI_TAGS: \[\] → \["piano","slow"\]/);
  });

  it('prints a readable report and a hint to undo in human mode', (t) => {
    const dir = tempDir(t);
    const song = makeAudioFile(dir, 'song', 'flac', { genre: 'Rock' });
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ files: [{ path: song, set: { MOOD: ['calm'] } }] }));
    const r = runBetti(['--db', join(dir, 'lib.db'), 'apply', '--plan', plan]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ok\s+.*song\.flac\n\s+MOOD \+= "calm"/);
    assert.match(r.stdout, /written 1, unchanged 0, failed 0/);
    assert.match(r.stdout, /betti undo 1/);
    // A batch in which every file failed changed nothing: no hint to undo it.
    writeFileSync(plan, JSON.stringify({ files: [{ path: join(dir, 'gone.flac'), set: { MOOD: ['calm'] } }] }));
    const failed = runBetti(['--db', join(dir, 'lib.db'), 'apply', '--plan', plan]);
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stdout, /written 0, unchanged 0, failed 1 \(.*\)\nNothing was written, so there is nothing to undo\./);
    assert.doesNotMatch(failed.stdout, /betti undo/);
  });

  it('reads a plan from standard input with --plan -', (t) => {
    const dir = tempDir(t);
    const song = makeAudioFile(dir, 'song', 'opus', { genre: 'Rock' });
    const r = runBetti(['--db', join(dir, 'lib.db'), 'apply', '--plan', '-', '--json'], { input: JSON.stringify({ files: [{ path: song, set: { GENRE: ['Jazz'] }, mode: 'replace' }] }) });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(mutagenValues(mutagenRead([song])[song]!, 'opus', 'GENRE', '2.4'), ['Jazz']);
  });

  it('exits 2 with a message for usage errors and invalid plan files, writing nothing', (t) => {
    const dir = tempDir(t);
    const db = join(dir, 'lib.db');
    const neither = runBetti(['--db', db, 'apply']);
    assert.equal(neither.status, 2);
    assert.match(neither.stderr, /exactly one of --plan FILE or --accepted/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"files": [{"path": 3}]}');
    const r = runBetti(['--db', db, 'apply', '--plan', bad, '--json']);
    assert.equal(r.status, 2);
    const err = parseJsonOutput<{ error: { kind: string; message: string; hint: string } }>(r).error;
    assert.equal(err.kind, 'invalid-request');
    assert.match(err.message, /bad\.json does not match the plan format/);
    writeFileSync(bad, '{ not json');
    assert.match(runBetti(['--db', db, 'apply', '--plan', bad]).stderr, /not valid JSON/);
    const nothing = runBetti(['--db', db, 'undo', '--json']);
    assert.equal(nothing.status, 1);
    assert.equal(parseJsonOutput<{ error: { kind: string } }>(nothing).error.kind, 'not-found');
  });

  it('--accepted writes the accepted suggestions of the library', (t) => {
    const dir = tempDir(t);
    const song = makeAudioFile(dir, 'song', 'm4a', { genre: 'Rock' });
    const db = join(dir, 'lib.db');
    assert.equal(runBetti(['--db', db, 'scan', dir, '--json']).status, 0);
    const lib = openLibraryDb(db);
    const trackId = getTrackByPath(lib, song)!.id;
    upsertSuggestions(lib, [
      { trackId, tag: 'piano', category: 'instrument', confidence: 0.9, source: 'model' },
      { trackId, tag: 'calm', category: 'mood', confidence: 0.9, source: 'personal' },
    ]);
    lib.run("UPDATE suggestions SET decision = 'accepted', decided_at = 1");
    lib.close();
    const r = runBetti(['--db', db, 'apply', '--accepted', '--json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = parseJsonOutput<ApplyResult>(r);
    assert.deepEqual(
      out.results.map((x) => x.status),
      ['ok'],
    );
    const m = mutagenRead([song])[song]!;
    assert.deepEqual(mutagenValues(m, 'm4a', 'BETTI_TAGS', '2.4'), ['piano']);
    assert.deepEqual(mutagenValues(m, 'm4a', 'MOOD', '2.4'), ['calm']);
  });
});
