// `betti accept` and `betti reject`: the review from a terminal, by suggestion id or in batches of
// what `betti suggest` lists, and `betti apply --accepted` writing exactly what was accepted.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { ApplyResult } from '../../src-main/api/schemas/write.ts';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { upsertSuggestions } from '../../src-main/library/db/queries/suggestions.ts';
import { getTrackByPath } from '../../src-main/library/db/queries/tracks.ts';
import type { DecideResult } from '../../src-main/cli/commands/decide.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile } from '../tags/helpers/fixtures.ts';

/** Two scanned tracks with pending suggestions: "a" piano 0.9, drums 0.6 and calm (personal) 0.95; "b" piano 0.95. */
function library(t: TestContext) {
  const dir = tempDir(t);
  const a = makeAudioFile(dir, 'a', 'flac', {});
  const b = makeAudioFile(dir, 'b', 'mp3', {});
  const db = join(dir, 'lib.db');
  assert.equal(runBetti(['--db', db, 'scan', dir, '--json']).status, 0);
  const lib = openLibraryDb(db);
  const ta = getTrackByPath(lib, a)!.id;
  const tb = getTrackByPath(lib, b)!.id;
  upsertSuggestions(lib, [
    { trackId: ta, tag: 'piano', category: 'instrument', confidence: 0.9, source: 'model' },
    { trackId: ta, tag: 'drums', category: 'instrument', confidence: 0.6, source: 'model' },
    { trackId: ta, tag: 'calm', category: 'mood', confidence: 0.95, source: 'personal' },
    { trackId: tb, tag: 'piano', category: 'instrument', confidence: 0.95, source: 'model' },
  ]);
  lib.close();
  /** Each suggestion as "track:tag" → decision. */
  const decisions = (): Record<string, string> => {
    const l = openLibraryDb(db);
    try {
      const rows = l.all<{ track: number; tag: string; decision: string }>('SELECT track_id AS track, tag, decision FROM suggestions');
      return Object.fromEntries(rows.map((r) => [`${r.track === ta ? 'a' : 'b'}:${r.tag}`, r.decision]));
    } finally {
      l.close();
    }
  };
  const idOf = (track: 'a' | 'b', tag: string): number => {
    const l = openLibraryDb(db);
    try {
      return l.get<{ id: number }>('SELECT id FROM suggestions WHERE track_id = ? AND tag = ?', track === 'a' ? ta : tb, tag)!.id;
    } finally {
      l.close();
    }
  };
  return { db, a, b, ta, tb, decisions, idOf };
}

describe('betti accept / reject', () => {
  it('accepts a batch of what `betti suggest` lists, narrowed by confidence, track and tag, and apply --accepted writes exactly those', (t) => {
    const lib = library(t);
    const listed = runBetti(['--db', lib.db, 'suggest']);
    assert.match(listed.stdout, new RegExp(`\\(track ${lib.ta}\\)`));
    assert.match(listed.stdout, new RegExp(`#${lib.idOf('a', 'piano')}\\s+piano`));

    const batch = runBetti(['--db', lib.db, 'accept', '--min-confidence', '0.85', '--json']);
    assert.equal(batch.status, 0, batch.stderr);
    assert.deepEqual(parseJsonOutput<DecideResult>(batch), { decision: 'accepted', updated: 3, byTag: { piano: 2, calm: 1 }, tracks: 2 });
    const rejected = runBetti(['--db', lib.db, 'reject', '--track', String(lib.ta), '--tag', 'DRUMS']);
    assert.equal(rejected.status, 0, rejected.stderr);
    assert.match(rejected.stdout, /Rejected 1 suggestion\(s\) on 1 track\(s\): drums 1\./);
    assert.deepEqual(lib.decisions(), { 'a:piano': 'accepted', 'a:drums': 'rejected', 'a:calm': 'accepted', 'b:piano': 'accepted' });

    const preview = parseJsonOutput<ApplyResult>(runBetti(['--db', lib.db, 'apply', '--accepted', '--dry-run', '--json']));
    const set = Object.fromEntries(preview.results.map((r) => [r.path, r.fields.map((f) => `${f.field}=${f.after.join('|')}`).sort()]));
    assert.deepEqual(set, { [lib.a]: ['BETTI_TAGS=piano', 'MOOD=calm'], [lib.b]: ['BETTI_TAGS=piano'] });
  });

  it('decides named suggestions whatever was decided before, while a batch leaves earlier decisions alone', (t) => {
    const lib = library(t);
    const piano = lib.idOf('a', 'piano');
    const human = runBetti(['--db', lib.db, 'reject', String(piano)]);
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /Rejected 1 suggestion\(s\)\./);
    const all = parseJsonOutput<DecideResult>(runBetti(['--db', lib.db, 'accept', '--all', '--json']));
    assert.equal(all.updated, 3, 'drums, calm and b:piano; a:piano stays rejected');
    assert.equal(lib.decisions()['a:piano'], 'rejected');
    assert.equal(parseJsonOutput<DecideResult>(runBetti(['--db', lib.db, 'accept', String(piano), '--json'])).updated, 1);
    assert.equal(lib.decisions()['a:piano'], 'accepted', 'named by id, a decision changes');
    assert.match(runBetti(['--db', lib.db, 'accept', String(piano)]).stdout, /No suggestion changed: each id is already accepted or names no suggestion/);
    const again = runBetti(['--db', lib.db, 'accept', '--all']);
    assert.match(again.stdout, /Nothing to accept: no pending suggestion matches/);
  });

  it('refuses what it cannot do with a usage error that says what it takes', (t) => {
    const lib = library(t);
    const cases: [string[], RegExp][] = [
      [['accept'], /needs suggestion ids, or a batch: --track, --tag, --min-confidence or --all/],
      [['accept', '3', '--all'], /suggestion ids or a batch .* not both/],
      [['reject', '--all', '--tag', 'piano'], /--all rejects every suggestion .* does not combine/],
      [['accept', 'x1'], /Suggestion ids must be positive whole numbers, not "x1"/],
      [['accept', '--track', '0'], /--track values must be positive whole numbers, not "0"/],
      [['accept', '--min-confidence', '2'], /--min-confidence must be a number from 0 to 1/],
    ];
    for (const [args, message] of cases) {
      const r = runBetti(['--db', lib.db, ...args]);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
    assert.deepEqual(Object.values(lib.decisions()), ['pending', 'pending', 'pending', 'pending']);
  });
});
