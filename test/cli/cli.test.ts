import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the betti CLI', () => {
  it('lists its commands in --help and exits 0', () => {
    const r = runBetti(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: betti/);
    assert.match(r.stdout, /info/);
  });

  it('exits 2 on an unknown command and says so on stderr', () => {
    const r = runBetti(['no-such-command']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command/);
  });

  it('prints exactly one JSON document with --json and honours --db', (t) => {
    const db = join(tempDir(t), 'lib.db');
    const r = runBetti(['--db', db, 'info', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const info = parseJsonOutput<{ dbPath: string }>(r);
    assert.equal(info.dbPath, db);
    assert.doesNotMatch(r.stderr, /ExperimentalWarning/);
  });
});
