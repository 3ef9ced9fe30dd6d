// The first-run demo library: five short clips shipped in resources/demo/ (made by
// scripts/make-demo-library.py). Betti never scans or writes the shipped files: it copies them
// into a folder beside the library database, so a safe write changes the person's copy and never
// the installed app (whose files may be read-only, or inside app.asar).
import { constants, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BettiError } from '../api/errors.ts';
import { unpackedPath } from '../model/install-paths.ts';

/** The copy's folder name, inside the data folder. */
export const DEMO_FOLDER_NAME = 'Demo library';
/** Marks the shipped folder (and travels with the copy: the clips' licence). */
const DEMO_LICENSE = 'LICENSE.md';

/**
 * The shipped demo folder: the first `resources/demo` (holding LICENSE.md) found walking up from
 * this module, as defaultModelDir finds the model; read through app.asar.unpacked when packaged.
 */
export function shippedDemoDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = unpackedPath(join(dir, 'resources', 'demo'));
    if (existsSync(join(candidate, DEMO_LICENSE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return fileURLToPath(new URL('../../resources/demo', import.meta.url));
}

export interface DemoCopy {
  /** The person's copy of the demo. */
  folder: string;
  /** Files copied now (those already in the copy are kept as they are: the person may have tagged them). */
  copied: number;
}

/** Copies the shipped demo into `target`, adding only the files it lacks; safe to call again. */
export async function copyDemoLibrary(source: string, target: string): Promise<DemoCopy> {
  let names: string[];
  try {
    names = (await readdir(source, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch (err) {
    throw new BettiError('not-found', `The demo library is missing from this installation (${source}).`, { path: source, hint: 'Reinstall Betti, or add a folder of your own music instead.', cause: err });
  }
  if (!names.includes(DEMO_LICENSE)) {
    throw new BettiError('not-found', `${source} is not Betti's demo library (no ${DEMO_LICENSE}).`, { path: source, hint: 'Reinstall Betti, or add a folder of your own music instead.' });
  }
  try {
    await mkdir(target, { recursive: true });
  } catch (err) {
    throw new BettiError('io', `Cannot create the demo folder ${target}: ${(err as Error).message}`, { path: target, hint: 'Check that the data folder is writable.', cause: err });
  }
  let copied = 0;
  for (const name of names.sort()) {
    const to = join(target, name);
    try {
      // COPYFILE_EXCL: a copy already there is the person's, tagged or not; never overwrite it.
      await copyFile(join(source, name), to, constants.COPYFILE_EXCL);
      // The copy takes the shipped file's mode, read-only in a system-wide install: make it the person's.
      await chmod(to, 0o644);
      copied++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new BettiError('io', `Cannot copy the demo clip ${name} to ${to}: ${(err as Error).message}`, { path: to, hint: 'Check that the data folder is writable and has free space.', cause: err });
    }
  }
  return { folder: target, copied };
}
