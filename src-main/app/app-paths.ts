// Where the running desktop app finds its own files and keeps the person's data.
//
// Data: the same per-user folder the CLI and `betti serve` use (library/paths.ts), so all three
// share one library. Electron would otherwise name it after package.json's "name" ("betti") when
// run unpackaged, so the app sets userData to this folder explicitly. Chromium's own caches go
// to a subfolder, so the data folder stays readable: library.db, app-state.json, Chromium/.
import { join } from 'node:path';
import { defaultDataDir } from '../library/paths.ts';
import { ANALYSIS_WORKER_BUNDLE, PRELOAD_BUNDLE, READ_WORKER_BUNDLE, RENDERER_DIR, WINDOW_ICON } from './bundle-layout.ts';
import { STATE_FILE_NAME } from './state.ts';

export interface AppPaths {
  /** The app root: the repository unpackaged, resources/app.asar packaged. */
  readonly appRoot: string;
  readonly rendererDir: string;
  readonly preloadPath: string;
  /** The analysis worker's utility-process entry (inside app.asar when packaged: utility processes read it there). */
  readonly analysisWorker: string;
  /** The scan's read-worker thread entry (inside app.asar when packaged: worker threads read it there). */
  readonly readWorker: string;
  readonly windowIcon: string;
  /** The per-user data folder (Electron's userData). */
  readonly dataDir: string;
  readonly dbPath: string;
  readonly stateFile: string;
  /** Chromium's caches and storage (Electron's sessionData). */
  readonly sessionDataDir: string;
}

export function appPaths(appRoot: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): AppPaths {
  const dataDir = defaultDataDir(env, platform);
  return {
    appRoot,
    rendererDir: join(appRoot, RENDERER_DIR),
    preloadPath: join(appRoot, PRELOAD_BUNDLE),
    analysisWorker: join(appRoot, ANALYSIS_WORKER_BUNDLE),
    readWorker: join(appRoot, READ_WORKER_BUNDLE),
    windowIcon: join(appRoot, WINDOW_ICON),
    dataDir,
    // BETTI_DB points the CLI at another library; the app honours it the same way.
    dbPath: env.BETTI_DB || join(dataDir, 'library.db'),
    stateFile: join(dataDir, STATE_FILE_NAME),
    sessionDataDir: join(dataDir, 'Chromium'),
  };
}
