// The SQLite adapter (node:sqlite): opens the library database in WAL mode, runs the numbered
// migrations, caches prepared statements and logs slow queries. Only library/db/ writes SQL;
// everyone else calls the typed functions in library/db/queries/.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { BettiError } from '../../api/errors.ts';
import { migrations } from './migrations/index.ts';
import { restoreTrackIndexes } from './queries/deferred-track-indexes.ts';

// Slow queries are reported on stderr when BETTI_DEBUG is set (a person running a command
// should not see database timing chatter; a developer chasing a slow screen should).
const SLOW_QUERY_MS = 40;

export type SqlParam = SQLInputValue;
export type Row = Record<string, SqlParam>;

export class LibraryDb {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #arrayStatements = new Map<string, StatementSync>();
  #depth = 0;

  constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
  }

  #prepare(sql: string): StatementSync {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.#db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  #timed<T>(sql: string, fn: () => T): T {
    const t0 = performance.now();
    const out = fn();
    const ms = performance.now() - t0;
    if (ms > SLOW_QUERY_MS && process.env.BETTI_DEBUG) {
      process.stderr.write(`betti: slow query (${ms.toFixed(0)} ms): ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
    }
    return out;
  }

  all<T = Row>(sql: string, ...params: SqlParam[]): T[] {
    return this.#timed(sql, () => this.#prepare(sql).all(...params) as T[]);
  }

  /**
   * Rows as arrays of column values in SELECT order: for hot queries over many rows (the scan's
   * known files), where building one object per row costs more than the query itself.
   */
  allArrays<T extends SqlParam[] = SqlParam[]>(sql: string, ...params: SqlParam[]): T[] {
    let st = this.#arrayStatements.get(sql);
    if (!st) {
      st = this.#db.prepare(sql);
      st.setReturnArrays(true);
      this.#arrayStatements.set(sql, st);
    }
    const statement = st;
    return this.#timed(sql, () => statement.all(...params) as unknown as T[]);
  }

  get<T = Row>(sql: string, ...params: SqlParam[]): T | undefined {
    return this.#timed(sql, () => this.#prepare(sql).get(...params) as T | undefined);
  }

  run(sql: string, ...params: SqlParam[]): { changes: number; lastInsertRowid: number } {
    return this.#timed(sql, () => {
      const r = this.#prepare(sql).run(...params);
      return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
    });
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  /** Runs fn in a transaction (a savepoint when nested); rolls back if it throws. */
  transaction<T>(fn: () => T): T {
    const name = `sp${this.#depth}`;
    this.#db.exec(this.#depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${name}`);
    this.#depth += 1;
    try {
      const out = fn();
      this.#depth -= 1;
      this.#db.exec(this.#depth === 0 ? 'COMMIT' : `RELEASE ${name}`);
      return out;
    } catch (err) {
      this.#depth -= 1;
      this.#db.exec(this.#depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${name}; RELEASE ${name}`);
      throw err;
    }
  }

  get userVersion(): number {
    return Number((this.#db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  }

  close(): void {
    this.#statements.clear();
    this.#arrayStatements.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}

/** Applies every migration newer than the database, each in its own transaction. */
export function migrate(db: LibraryDb, upTo = Number.POSITIVE_INFINITY): void {
  const current = db.userVersion;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new BettiError('version-mismatch', `The library database ${db.path} has schema version ${current}, newer than this Betti understands (${newest}).`, {
      path: db.path,
      hint: 'Did you start an older version of Betti? Update Betti, or point --db at another library.',
    });
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.exec(`PRAGMA user_version = ${m.version}`);
    });
  }
}

export function openLibraryDb(path: string, opts: { migrateUpTo?: number } = {}): LibraryDb {
  let raw: DatabaseSync;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    raw = new DatabaseSync(path);
  } catch (err) {
    throw new BettiError('io', `Cannot open the library database ${path}: ${(err as Error).message}`, {
      path,
      hint: 'Check that the folder exists and is writable, or pass another file with --db.',
      cause: err,
    });
  }
  raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  const db = new LibraryDb(path, raw);
  // A scan killed while it bulk-loaded left the tracks' sort and search indexes dropped: put them
  // back first, with the statements that scan stored (before any migration expects them).
  if (db.get("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'tracks_deferred_schema'")) restoreTrackIndexes(db);
  migrate(db, opts.migrateUpTo);
  return db;
}
