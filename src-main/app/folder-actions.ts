// What File → Add Folder…, File → Rescan Library and a folder dropped on the window do: pick or
// check the folders, remember them for Rescan, and scan them through the API. Every action
// reports its own failure (a native dialog in the app) and never rejects, because a menu click
// has no caller to hand an error to.
import { BettiError } from '../api/errors.ts';
import { DroppedPaths, MAX_DROPPED_PATHS } from './folder-drop.ts';
import { rememberFolders, type AppStateStore } from './state.ts';

export interface FolderActionDeps {
  /** The native folder picker; resolves with the chosen folders, none when cancelled. */
  pickFolders(defaultPath: string | undefined): Promise<string[]>;
  isDirectory(path: string): Promise<boolean>;
  /** Scans folders into the library (library.scan through the API). */
  scan(folders: string[]): Promise<void>;
  store: AppStateStore;
  report(error: BettiError): void;
}

export interface FolderActions {
  /** Resolves with the folders scanned (none when cancelled or refused). */
  addFolderFromPicker(): Promise<string[]>;
  addDroppedPaths(raw: unknown): Promise<string[]>;
  rescan(): Promise<string[]>;
}

function asBettiError(err: unknown): BettiError {
  if (err instanceof BettiError) return err;
  return new BettiError('internal', err instanceof Error ? err.message : String(err), { cause: err });
}

function list(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

export function createFolderActions(deps: FolderActionDeps): FolderActions {
  const scanAndRemember = async (folders: string[]): Promise<string[]> => {
    // Remembered before the scan, so Rescan can retry a scan that failed half-way.
    deps.store.update((s) => ({ ...s, lastFolders: rememberFolders(s.lastFolders, folders) }));
    await deps.scan(folders);
    return folders;
  };

  const guarded = async (action: () => Promise<string[]>): Promise<string[]> => {
    try {
      return await action();
    } catch (err) {
      deps.report(asBettiError(err));
      return [];
    }
  };

  return {
    addFolderFromPicker: () =>
      guarded(async () => {
        const picked = await deps.pickFolders(deps.store.state.lastFolders[0]);
        return picked.length === 0 ? [] : scanAndRemember(picked);
      }),

    addDroppedPaths: (raw) =>
      guarded(async () => {
        const parsed = DroppedPaths.safeParse(raw);
        if (!parsed.success) {
          throw new BettiError('invalid-request', `the dropped items could not be read (at most ${MAX_DROPPED_PATHS} paths)`, { hint: 'Drop folders from your file manager, or use File → Add Folder….' });
        }
        const folders: string[] = [];
        const others: string[] = [];
        for (const path of parsed.data) (await deps.isDirectory(path) ? folders : others).push(path);
        if (folders.length === 0) {
          throw new BettiError('invalid-request', `not a folder: ${list(others)}`, { hint: 'Drop the folder that holds your music, or use File → Add Folder….' });
        }
        const scanned = await scanAndRemember(folders);
        if (others.length > 0) {
          deps.report(new BettiError('invalid-request', `skipped what is not a folder: ${list(others)}`, { hint: 'Betti adds whole folders; drop the folder that holds these files.' }));
        }
        return scanned;
      }),

    rescan: () =>
      guarded(async () => {
        const remembered = deps.store.state.lastFolders;
        if (remembered.length === 0) {
          throw new BettiError('not-found', 'there is no folder to rescan yet', { hint: 'Add one with File → Add Folder… or drop it on the window.' });
        }
        const present: string[] = [];
        const gone: string[] = [];
        for (const f of remembered) (await deps.isDirectory(f) ? present : gone).push(f);
        if (present.length === 0) {
          throw new BettiError('not-found', `none of the library's folders is there: ${list(gone)}`, { hint: 'Reconnect the drive that holds them, or add the folders again.' });
        }
        await deps.scan(present);
        if (gone.length > 0) {
          deps.report(new BettiError('not-found', `skipped folders that are not there: ${list(gone)}`, { hint: 'Reconnect the drive that holds them; Betti keeps them for the next rescan.' }));
        }
        return present;
      }),
  };
}
