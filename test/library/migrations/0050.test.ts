import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0050 (write journal)', () => {
  it('creates write_batches and write_entries with their checks and indexes', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 40 });
    migrate(db, 50);
    assert.equal(db.userVersion, 50);
    const objects = db
      .all<{ type: string; name: string }>("SELECT type, name FROM sqlite_schema WHERE tbl_name IN ('write_batches', 'write_entries') ORDER BY type, name")
      .map((r) => `${r.type} ${r.name}`);
    assert.deepEqual(objects, [
      'index write_batches_running',
      'index write_batches_undoes',
      'index write_entries_by_batch',
      'index write_entries_by_path',
      'index write_entries_pending',
      'table write_batches',
      'table write_entries',
    ]);
    const batch = db.run("INSERT INTO write_batches (kind, source, pid, settings_json, started_at) VALUES ('apply', 'plan', 1, '{}', 1)").lastInsertRowid;
    assert.equal(db.get<{ status: string }>('SELECT status FROM write_batches WHERE id = ?', batch)!.status, 'running');
    assert.throws(() => db.run("INSERT INTO write_batches (kind, source, pid, settings_json, started_at) VALUES ('erase', 'plan', 1, '{}', 1)"), /CHECK/);
    const entry = (status: string) => db.run("INSERT INTO write_entries (batch_id, path, status, updated_at) VALUES (?, '/m/a.mp3', ?, 1)", batch, status);
    entry('pending');
    assert.throws(() => entry('half-done'), /CHECK/);
    assert.throws(() => db.run("INSERT INTO write_entries (batch_id, path, status, updated_at) VALUES (999, '/m/a.mp3', 'written', 1)"), /FOREIGN KEY/);
    const plan = db.all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT * FROM write_entries WHERE batch_id = 1 AND status = 'pending'");
    assert.ok(plan.some((r) => /write_entries_(pending|by_batch)/.test(r.detail)), JSON.stringify(plan));
  });
});
