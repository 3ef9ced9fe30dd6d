// Where the desktop app's built files sit, relative to the app root (the repository when run with
// `npm start`, app.asar when packaged). The build script, package.json "main", the
// electron-builder config and the running app all read these; test/app/build.test.ts checks
// they agree.
export const OUT_DIR = 'out';
/** The main-process bundle (ESM); package.json "main" names it. */
export const MAIN_BUNDLE = 'out/main/main.js';
/** The preload bundle. CommonJS: a sandboxed preload is run as a plain script with a limited require. */
export const PRELOAD_BUNDLE = 'out/main/preload.cjs';
/** The analysis worker's utility-process entry (ESM, like main.js): app/analysis-utility-entry.ts. */
export const ANALYSIS_WORKER_BUNDLE = 'out/main/analysis-worker.js';
/** The scan's read-worker thread entry (ESM): library/read-worker.ts. Worker threads read it from app.asar. */
export const READ_WORKER_BUNDLE = 'out/main/read-worker.js';
/** The built renderer (`vite build`), served as betti://app/. */
export const RENDERER_DIR = 'out/renderer';
/** PNG icons, one per size (NxN.png), as electron-builder's Linux icon set expects. */
export const ICONS_DIR = 'resources/icons';
/** The window icon while unpackaged (packaged builds carry the platform's own icon). */
export const WINDOW_ICON = 'resources/icons/512x512.png';
/** The shipped model (resources/model/model.json and its weights). */
export const MODEL_DIR = 'resources/model';
/** The demo library's clips and their licence (copied into the data folder before use). */
export const DEMO_DIR = 'resources/demo';
/** Modules a sandboxed preload may require (Electron's sandbox docs); the build allows only electron. */
export const SANDBOXED_PRELOAD_MODULES = ['electron', 'events', 'timers', 'url'] as const;
