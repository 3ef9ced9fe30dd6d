// What the desktop shell remembers between launches — window bounds, the folders last added,
// and the shell's own settings — as one JSON file in the user data folder. (The library and the
// tag-writing settings live in library.db; this file is only the shell's.)
//
// The file is read through a schema. A file that is not JSON, or whose fields break the schema,
// never stops the app: the fields that still parse are kept, the rest fall back to defaults, and
// the original is renamed to app-state.json.corrupt-<time> so nothing a person had is destroyed.
// Writes go to a temporary file that is renamed over the old one, so a crash mid-write leaves
// either the old state or the new one.
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const STATE_FILE_NAME = 'app-state.json';
/** Folders remembered for File → Rescan; older ones drop off. */
export const MAX_LAST_FOLDERS = 20;
export const MIN_WINDOW = { width: 720, height: 480 } as const;

const WindowState = z.object({
  width: z.number().int().min(MIN_WINDOW.width).max(16384),
  height: z.number().int().min(MIN_WINDOW.height).max(16384),
  x: z.number().int().min(-32768).max(32767).optional(),
  y: z.number().int().min(-32768).max(32767).optional(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

const Settings = z.object({
  /** Rescan the remembered folders when the app starts. */
  rescanOnLaunch: z.boolean(),
});
export type ShellSettings = z.infer<typeof Settings>;

const AppStateSchema = z.object({
  version: z.literal(1),
  window: WindowState,
  lastFolders: z.array(z.string().min(1).max(4096)).max(MAX_LAST_FOLDERS),
  settings: Settings,
});
export type AppState = z.infer<typeof AppStateSchema>;

export function defaultAppState(): AppState {
  return { version: 1, window: { width: 1280, height: 800, maximized: false }, lastFolders: [], settings: { rescanOnLaunch: false } };
}

/** Per-field fallbacks: a bad field costs only that field. */
const SalvageSchema = z.object({
  window: WindowState.catch(() => defaultAppState().window),
  lastFolders: z
    .array(z.unknown())
    .catch([])
    .transform((xs) => xs.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 4096).slice(0, MAX_LAST_FOLDERS)),
  settings: z.object({ rescanOnLaunch: z.boolean().catch(false) }).catch(() => defaultAppState().settings),
});

export interface LoadedState {
  state: AppState;
  /** Set when the file was unreadable or partly invalid: what happened, for the log. */
  problem?: string;
  /** Where the unreadable original was kept. */
  backupPath?: string;
}

/** Reads the state file; never throws for a missing, unreadable or invalid file. */
export function loadAppState(file: string, now: () => Date = () => new Date()): LoadedState {
  if (!existsSync(file)) return { state: defaultAppState() };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { state: defaultAppState(), problem: `cannot read ${file}: ${(err as Error).message}` };
  }
  let raw: unknown;
  let problem: string | undefined;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (err) {
    problem = `${file} is not valid JSON (${(err as Error).message}); using the defaults`;
  }
  if (problem === undefined) {
    const strict = AppStateSchema.safeParse(raw);
    if (strict.success) return { state: strict.data };
    problem = `${file} has invalid fields (${strict.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}); those fell back to defaults`;
  }
  const salvaged = SalvageSchema.safeParse(typeof raw === 'object' && raw !== null ? raw : {});
  const state: AppState = salvaged.success ? { version: 1, ...salvaged.data } : defaultAppState();
  const backupPath = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, backupPath);
    return { state, problem, backupPath };
  } catch (err) {
    return { state, problem: `${problem}; could not keep a backup: ${(err as Error).message}` };
  }
}

/** Writes atomically: temporary file beside it, then rename over the old one. */
export function saveAppState(file: string, state: AppState): void {
  const valid = AppStateSchema.parse(state);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${STATE_FILE_NAME}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Folders in most-recent-first order without duplicates, capped. */
export function rememberFolders(previous: readonly string[], added: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of [...added, ...previous]) if (!out.includes(f)) out.push(f);
  return out.slice(0, MAX_LAST_FOLDERS);
}

/**
 * The state in memory plus a debounced writer: window moves arrive many times a second, the
 * file is written at most once per `delayMs`, and `flush()` (on quit) writes what is pending.
 */
export class AppStateStore {
  readonly file: string;
  #state: AppState;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #delayMs: number;
  readonly #onError: (err: unknown) => void;

  constructor(file: string, initial: AppState, opts: { delayMs?: number; onError?: (err: unknown) => void } = {}) {
    this.file = file;
    this.#state = initial;
    this.#delayMs = opts.delayMs ?? 500;
    this.#onError = opts.onError ?? ((err) => console.error(`Betti could not save ${file}:`, err));
  }

  get state(): AppState {
    return this.#state;
  }

  update(change: (state: AppState) => AppState): void {
    this.#state = change(this.#state);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), this.#delayMs);
    this.#timer.unref?.();
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      saveAppState(this.file, this.#state);
    } catch (err) {
      this.#onError(err);
    }
  }
}
