// What the service's handlers share: where the library lives, the open database, the event bus.
import type { SpawnWorker } from '../analysis/worker-port.ts';
import type { EventBus } from './events.ts';
import { openLibraryDb, type LibraryDb } from '../library/db/open.ts';

export interface ServiceContext {
  readonly dbPath: string;
  readonly bus: EventBus;
  /** How analysis workers start: the desktop app's utility processes; unset, worker threads (CLI, `betti serve`, tests). */
  readonly analysisSpawn?: SpawnWorker;
  /** The scan's read-worker script: the desktop app's bundle; unset, library/read-worker-entry.js. */
  readonly readWorker?: URL;
  /** The library database, opened (and migrated) on first use. */
  db(): LibraryDb;
  /** Registers work to stop before the context closes (a running analysis, its worker threads). */
  onClose(cleanup: () => Promise<unknown> | unknown): void;
  /** Runs the cleanups, then closes what the context opened. */
  close(): Promise<void>;
}

export function createContext(opts: { dbPath: string; bus: EventBus; analysisSpawn?: SpawnWorker; readWorker?: URL }): ServiceContext {
  let db: LibraryDb | undefined;
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  return {
    dbPath: opts.dbPath,
    bus: opts.bus,
    ...(opts.analysisSpawn ? { analysisSpawn: opts.analysisSpawn } : {}),
    ...(opts.readWorker ? { readWorker: opts.readWorker } : {}),
    db() {
      db ??= openLibraryDb(opts.dbPath);
      return db;
    },
    onClose(cleanup) {
      cleanups.push(cleanup);
    },
    async close() {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (err) {
          if (process.env.BETTI_DEBUG) process.stderr.write(`betti: while closing: ${(err as Error).stack ?? String(err)}\n`);
        }
      }
      db?.close();
      db = undefined;
    },
  };
}
