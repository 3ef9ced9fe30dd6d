// The real app in a real browser, as a person uses it: the renderer built by Vite, `betti serve`
// (the actual executable) serving it and the API, and Debian's Chromium driven by playwright-core
// with a fresh profile. Nothing is mocked between the page and the core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bettiBin, repoRoot } from '../../helpers/cli.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots and traces of browser runs (gitignored). */
export const outputDir = join(repoRoot, 'test-output', 'browser');

/** Builds the renderer into `outDir` (vite build, about a second); throws with Vite's output if it fails. */
export function buildRenderer(outDir: string): void {
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(repoRoot, 'src-renderer/vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`vite build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export interface ServeProcess {
  url: string;
  port: number;
  token: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr (shown when a test fails). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `betti --db DB serve --json --renderer DIR` and waits for the URL it prints. */
export async function startServe(dbPath: string, rendererDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bettiBin, '--db', dbPath, 'serve', '--json', '--renderer', rendererDir], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`betti serve exited with ${code}:\n${err}`)));
  });
  const started = JSON.parse(first) as { url: string; port: number };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: started.url,
    port: started.port,
    token: new URL(started.url).searchParams.get('token') ?? '',
    child,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, for assertions that the page ran cleanly. */
  errors: string[];
  close(): Promise<void>;
}

/** Chromium, headless, with a fresh profile in `profileDir`. */
export async function openBrowser(profileDir: string, opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {}): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    colorScheme: opts.colorScheme ?? 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // CI shares two cores between test files: waits are generous, failures still say what was awaited.
  page.setDefaultTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors, close: () => context.close() };
}

/** Saves a screenshot as test-output/browser/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(outputDir, { recursive: true });
  const path = join(outputDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface ServedApp {
  /** The block's temporary folder: the library database, the built renderer and the browser profile are in it. */
  readonly dir: string;
  /** The library database `betti serve` was started on. */
  readonly db: string;
  readonly serve: ServeProcess;
  readonly browser: Browser;
  /**
   * Runs a test's steps; when one fails, saves a screenshot `<name>-failure` and adds what the
   * server wrote to stderr to the error, so a failure on CI shows the page and the core's side.
   */
  reportingFailures(name: string, steps: () => Promise<void>): Promise<void>;
}

/**
 * The app for one describe block: registers a `before` that makes a temporary folder, runs
 * `prepare` in it (music to scan, a seeded database), builds the renderer and starts `betti serve`
 * and Chromium, and an `after` that closes them and removes the folder.
 */
export function servedApp(prefix: string, prepare?: (dir: string, db: string) => void): ServedApp {
  let dir = '';
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    prepare?.(dir, join(dir, 'library.db'));
    buildRenderer(join(dir, 'renderer'));
    serve = await startServe(join(dir, 'library.db'), join(dir, 'renderer'));
    browser = await openBrowser(join(dir, 'profile'));
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`servedApp: ${what} is not started (used outside a test of its describe block?)`);
    return value;
  };
  return {
    get dir() {
      return started('the folder', dir || undefined);
    },
    get db() {
      return join(this.dir, 'library.db');
    },
    get serve() {
      return started('betti serve', serve);
    },
    get browser() {
      return started('the browser', browser);
    },
    async reportingFailures(name, steps) {
      try {
        await steps();
      } catch (err) {
        if (browser) await screenshot(browser.page, `${name}-failure`);
        throw new Error(`${(err as Error).message}\nbetti serve stderr:\n${serve?.stderr().slice(-3000) ?? '(not started)'}`, { cause: err });
      }
    },
  };
}

/** Fraction of a canvas's pixels that differ from its first pixel: 0 for a blank (uniform) canvas. */
export function canvasVariety(page: Page, selector: string): Promise<number> {
  // The test project has no DOM types; this is the part of a canvas the check uses.
  type Canvas2d = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
  return page.$eval(selector, (el) => {
    const canvas = el as unknown as Canvas2d;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let differ = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) differ++;
    return differ / (d.length / 4);
  });
}
