import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0030 (settings)', () => {
  it('creates the settings table (key → JSON value) on a database at version 10', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 10 });
    assert.deepEqual(db.all("SELECT name FROM sqlite_schema WHERE name = 'settings'"), []);
    migrate(db, 30);
    assert.equal(db.userVersion, 30);
    assert.deepEqual(db.all<{ name: string; type: string; pk: number }>("SELECT name, type, pk FROM pragma_table_info('settings')").map((c) => ({ ...c })), [
      { name: 'key', type: 'TEXT', pk: 1 },
      { name: 'value_json', type: 'TEXT', pk: 0 },
      { name: 'updated_at', type: 'INTEGER', pk: 0 },
    ]);
    db.run("INSERT INTO settings VALUES ('write.keepMtime', 'true', 1)");
    assert.throws(() => db.run("INSERT INTO settings VALUES ('write.keepMtime', 'false', 2)"), /UNIQUE/);
  });
});
