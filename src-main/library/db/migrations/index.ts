// The numbered migrations, in order. Versions go in tens (0010, 0020, …) so a fix can slot in.
// Each file exports one `Migration`; the runner (../open.ts) applies each in its own transaction
// and sets PRAGMA user_version. Never edit a migration that has shipped: add a new one.
import type { LibraryDb } from '../open.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: LibraryDb): void;
}

export const migrations: readonly Migration[] = [];
