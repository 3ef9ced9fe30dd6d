// `betti settings`: the write settings as a person sees and changes them from a terminal, and
// what a write then does with them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Settings } from '../../src-main/api/schemas/settings.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile } from '../tags/helpers/fixtures.ts';
import { mutagenRead, mutagenValues } from '../tags/helpers/readers.ts';

describe('betti settings', () => {
  it('shows the defaults, changes only the options given, and keeps them for the next run', (t) => {
    const db = join(tempDir(t), 'lib.db');
    const shown = runBetti(['--db', db, 'settings']);
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /custom field\s+BETTI_TAGS/);
    assert.match(shown.stdout, /ID3 version\s+2\.4/);
    assert.match(shown.stdout, /default mode\s+append/);

    const changed = runBetti(['--db', db, 'settings', '--custom-field', 'my_tags', '--id3-version', '2.3', '--keep-mtime', '--json']);
    assert.equal(changed.status, 0, changed.stderr);
    assert.deepEqual(parseJsonOutput<Settings>(changed).write, { customField: 'MY_TAGS', id3Version: '2.3', id3v23Separator: '; ', keepMtime: true, defaultMode: 'append' });

    const again = runBetti(['--db', db, 'settings', '--no-keep-mtime', '--mode', 'replace', '--json']);
    assert.deepEqual(parseJsonOutput<Settings>(again).write, { customField: 'MY_TAGS', id3Version: '2.3', id3v23Separator: '; ', keepMtime: false, defaultMode: 'replace' });
    assert.deepEqual(parseJsonOutput<Settings>(runBetti(['--db', db, 'settings', '--json'])).write, parseJsonOutput<Settings>(again).write);
  });

  it('refuses an invalid change with the reason, exit status 2 and nothing saved, not even the valid options beside it', (t) => {
    const db = join(tempDir(t), 'lib.db');
    const bad = runBetti(['--db', db, 'settings', '--id3-version', '2.3', '--custom-field', 'my tags']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /field name "MY TAGS" is not GENRE, MOOD, GROUPING or a custom name/);
    assert.match(bad.stderr, /Nothing was saved/);
    assert.doesNotMatch(bad.stderr, /src-main/);

    const version = runBetti(['--db', db, 'settings', '--id3-version', '2.2']);
    assert.equal(version.status, 2);
    assert.match(version.stderr, /--id3-version must be 2\.4 or 2\.3, not "2\.2"/);
    const separator = runBetti(['--db', db, 'settings', '--separator', '']);
    assert.equal(separator.status, 2);
    assert.match(separator.stderr, /separator needs at least one character/);
    const mode = runBetti(['--db', db, 'settings', '--mode', 'overwrite', '--json']);
    assert.equal(mode.status, 2);
    assert.equal(parseJsonOutput<{ error: { kind: string } }>(mode).error.kind, 'invalid-request');

    assert.deepEqual(parseJsonOutput<Settings>(runBetti(['--db', db, 'settings', '--json'])).write, {
      customField: 'BETTI_TAGS',
      id3Version: '2.4',
      id3v23Separator: '; ',
      keepMtime: false,
      defaultMode: 'append',
    });
  });

  it('are what the next write uses: ID3v2.3 with the separator, and the custom field named there', (t) => {
    const dir = tempDir(t);
    const db = join(dir, 'lib.db');
    const song = makeAudioFile(dir, 'song', 'mp3', {});
    assert.equal(runBetti(['--db', db, 'settings', '--id3-version', '2.3', '--separator', ' / ', '--custom-field', 'moods_and_more']).status, 0);
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ files: [{ path: song, set: { GENRE: ['Ambient', 'Drone'], MOODS_AND_MORE: ['piano'] } }] }));
    const applied = runBetti(['--db', db, 'apply', '--plan', plan]);
    assert.equal(applied.status, 0, applied.stderr);
    const dump = mutagenRead([song])[song]!;
    assert.deepEqual(dump.id3?.slice(0, 2), [2, 3]);
    assert.deepEqual(dump.tags['TCON'], ['Ambient / Drone'], 'ID3v2.3 has one string per frame: the values joined with the separator');
    assert.deepEqual(mutagenValues(dump, 'mp3', 'MOODS_AND_MORE', '2.3', ' / '), ['piano']);
  });
});
