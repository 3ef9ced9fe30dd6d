// The shipped model (resources/model/, written by `npm run train`) for the model tests, and
// throw-away copies of it that tests may break.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { tempDir } from './tmp.ts';

export const shippedModelDir = fileURLToPath(new URL('../../resources/model', import.meta.url));

/** The shipped folder and each architecture subfolder that holds a model.json. */
export function shippedModelFolders(): string[] {
  if (!existsSync(join(shippedModelDir, 'model.json'))) return [];
  const subs = readdirSync(shippedModelDir)
    .map((name) => join(shippedModelDir, name))
    .filter((dir) => statSync(dir).isDirectory() && existsSync(join(dir, 'model.json')));
  return [shippedModelDir, ...subs];
}

/** A temporary copy of the default model's files (not its subfolders, not parity.json unless asked). */
export function copyShippedModel(t: TestContext, opts: { parity?: boolean; subfolders?: boolean } = {}): string {
  const dir = join(tempDir(t, 'betti-model-'), 'model');
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) {
      const src = join(from, name);
      if (statSync(src).isDirectory()) {
        if (opts.subfolders) copy(src, join(to, name));
      } else if (name !== 'parity.json' || opts.parity) copyFileSync(src, join(to, name));
    }
  };
  copy(shippedModelDir, dir);
  return dir;
}

/** Rewrites `dir`/model.json (a copy's) through `edit`, which changes the parsed object in place. */
export function editModelJson<T = Record<string, unknown>>(dir: string, edit: (m: T) => void): void {
  const path = join(dir, 'model.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as T;
  edit(m);
  writeFileSync(path, JSON.stringify(m));
}
