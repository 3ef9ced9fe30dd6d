// What the service's handlers share: where the library lives, the open database, the event bus.
import type { EventBus } from './events.ts';
import { openLibraryDb, type LibraryDb } from '../library/db/open.ts';

export interface ServiceContext {
  readonly dbPath: string;
  readonly bus: EventBus;
  /** The library database, opened (and migrated) on first use. */
  db(): LibraryDb;
  /** Closes what the context opened. */
  close(): void;
}

export function createContext(opts: { dbPath: string; bus: EventBus }): ServiceContext {
  let db: LibraryDb | undefined;
  return {
    dbPath: opts.dbPath,
    bus: opts.bus,
    db() {
      db ??= openLibraryDb(opts.dbPath);
      return db;
    },
    close() {
      db?.close();
      db = undefined;
    },
  };
}
