// The numbered migrations, in order. Versions go in tens (0010, 0020, …) so a fix can slot in.
// Each file exports one `Migration`; the runner (../open.ts) applies each in its own transaction
// and sets PRAGMA user_version. Never edit a migration that has shipped: add a new one.
import type { LibraryDb } from '../open.ts';
import { migration0010 } from './0010-tracks.ts';
import { migration0030 } from './0030-settings.ts';
import { migration0040 } from './0040-suggestions.ts';
import { migration0050 } from './0050-write-journal.ts';
import { migration0060 } from './0060-analysis-queue.ts';
import { migration0070 } from './0070-analyses.ts';
import { migration0100 } from './0100-personal-models.ts';
import { migration0110 } from './0110-suggestions-by-tag.ts';
import { migration0120 } from './0120-tracks-scan-state.ts';
import { migration0130 } from './0130-tracks-reader-version.ts';
import { migration0140 } from './0140-reader-version-2.ts';
import { migration0150 } from './0150-reader-version-3.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: LibraryDb): void;
}

export const migrations: readonly Migration[] = [migration0010, migration0030, migration0040, migration0050, migration0060, migration0070, migration0100, migration0110, migration0120, migration0130, migration0140, migration0150];
