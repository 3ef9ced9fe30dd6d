// Where the model's files live on disk, in development (the repository) and in a packaged Electron
// app, where electron.config.ts unpacks resources/model and the tfjs wasm binaries beside the asar
// archive: code inside app.asar must read them from app.asar.unpacked (wasm and fs need real files).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The same path outside the asar archive: `…/app.asar/x` → `…/app.asar.unpacked/x` (unchanged elsewhere). */
export function unpackedPath(path: string, separator: string = sep): string {
  return path.replace(`app.asar${separator}`, `app.asar.unpacked${separator}`);
}

/**
 * The shipped model's folder: BETTI_MODEL_DIR when set; otherwise the first `resources/model`
 * (holding model.json) found walking up from this module, which finds it from src-main/model/ in
 * the repository and from out/main/… inside a packaged app (then read through app.asar.unpacked).
 */
export function defaultModelDir(env: NodeJS.ProcessEnv = process.env, from: string = dirname(fileURLToPath(import.meta.url))): string {
  if (env.BETTI_MODEL_DIR) return env.BETTI_MODEL_DIR;
  let dir = from;
  for (;;) {
    const candidate = unpackedPath(join(dir, 'resources', 'model'));
    if (existsSync(join(candidate, 'model.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Nothing found: name the development location, so the loading error says where it looked.
  return fileURLToPath(new URL('../../resources/model', import.meta.url));
}

/**
 * The folder (ending in a separator, as tfjs's setWasmPaths wants a prefix) holding
 * tfjs-backend-wasm's .wasm binaries: the package's own dist/, outside the asar archive.
 */
export function wasmDir(): string {
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return `${unpackedPath(dirname(entry))}${sep}`;
}
