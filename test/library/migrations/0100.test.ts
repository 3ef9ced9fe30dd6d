import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0100 (personal models)', () => {
  it('adds the write field to suggestions (existing rows keep NULL), the personal tables, and the feedback trigger', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 70 });
    const track = db.run("INSERT INTO tracks (path, size, mtime_ms, container, added_at, scanned_at) VALUES ('/m/a.mp3', 1, 1, 'mp3', 1, 1)").lastInsertRowid;
    db.run("INSERT INTO suggestions (track_id, tag, category, confidence, source, created_at) VALUES (?, 'piano', 'instrument', 0.9, 'model', 1)", track);
    migrate(db, 100);
    assert.equal(db.userVersion, 100);
    assert.deepEqual(db.all('SELECT tag, field FROM suggestions').map((r) => ({ ...r })), [{ tag: 'piano', field: null }]);
    const tables = db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'personal%' ORDER BY name").map((r) => r.name);
    assert.deepEqual(tables, ['personal_feedback', 'personal_models', 'personal_solvers']);
    assert.throws(() => db.run("UPDATE suggestions SET field = '' WHERE tag = 'piano'"), /CHECK/);

    db.run("INSERT INTO suggestions (track_id, tag, category, confidence, source, created_at, field) VALUES (?, 'Sunday Morning', 'grouping', 0.7, 'personal', 1, 'GROUPING')", track);
    // Deciding a model suggestion is no feedback for personal models; deciding a personal one is, once per value.
    db.run("UPDATE suggestions SET decision = 'rejected' WHERE tag = 'piano'");
    assert.equal(db.all('SELECT category, tag FROM personal_feedback').length, 0);
    db.run("UPDATE suggestions SET decision = 'accepted' WHERE tag = 'Sunday Morning'");
    db.run("UPDATE suggestions SET decision = 'rejected' WHERE tag = 'Sunday Morning'");
    db.run("UPDATE suggestions SET confidence = 0.8 WHERE tag = 'Sunday Morning'");
    assert.deepEqual(db.all('SELECT category, tag FROM personal_feedback').map((r) => ({ ...r })), [{ category: 'grouping', tag: 'Sunday Morning' }]);

    const model = (offered: number) =>
      db.run(
        "INSERT INTO personal_models (model_version, field, value, value_key, positives, negatives, offered, reason, trained_at) VALUES ('m1', 'GROUPING', 'X', 'x', 20, 80, ?, 'r', 1)",
        offered,
      );
    model(1);
    assert.throws(() => model(1), /UNIQUE/, 'one model per version, field and value');
    assert.throws(() => db.run("INSERT INTO personal_solvers (model_version, dims, lambda, mean, scale, normal_matrix, track_ids, leverages, trained_at, scored_at) VALUES ('m', 2, 0, x'', x'', x'', x'', x'', 1, 1)"), /CHECK/);
  });
});
