// `npm start` and `npm run dist` as far as they run without the Electron binary: start.js builds
// and launches whatever `electron` resolves to (here a stand-in script), and electron-builder
// packs the real configuration around a stand-in Electron distribution, so the app.asar and
// app.asar.unpacked a user would get are inspected file by file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { channelOf, methodNames } from '../../src-main/api/contract.ts';
import { ANALYSIS_WORKER_BUNDLE, DEMO_DIR, MAIN_BUNDLE, MODEL_DIR, PRELOAD_BUNDLE, READ_WORKER_BUNDLE, RENDERER_DIR } from '../../src-main/app/bundle-layout.ts';
import { RENDERER_CSP } from '../../src-main/server/renderer-csp.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

interface AsarEntry {
  files?: Record<string, AsarEntry>;
  size?: number;
  offset?: string;
  unpacked?: boolean;
  executable?: boolean;
}

/** Reads an asar archive's header (Chromium pickle: sizes, then the JSON tree) and its file bytes. */
function openAsar(path: string) {
  const buf = readFileSync(path);
  const headerSize = buf.readUInt32LE(4);
  const header = buf.subarray(8, 8 + headerSize);
  const root = JSON.parse(header.subarray(8, 8 + header.readUInt32LE(4)).toString('utf8')) as AsarEntry;
  const entry = (rel: string): AsarEntry | undefined => {
    let node: AsarEntry | undefined = root;
    for (const part of rel.split('/')) node = node?.files?.[part];
    return node;
  };
  const read = (rel: string): Buffer => {
    const e = entry(rel);
    assert.ok(e && e.offset !== undefined && e.size !== undefined && !e.unpacked, `${rel} is packed in the archive`);
    const start = 8 + headerSize + Number(e.offset);
    return buf.subarray(start, start + e.size);
  };
  const all = (node: AsarEntry = root, prefix = ''): string[] =>
    Object.entries(node.files ?? {}).flatMap(([name, child]) => (child.files ? all(child, `${prefix}${name}/`) : [`${prefix}${name}`]));
  return { entry, read, all };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

const electronVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

describe('npm start', () => {
  it('builds main, preload and renderer, then launches Electron on the app root', (t) => {
    const dir = tempDir(t);
    const dist = join(dir, 'electron-dist');
    mkdirSync(dist);
    const record = join(dir, 'launched.json');
    // A stand-in for Electron's binary: records how it was launched.
    writeFileSync(
      join(dist, 'electron'),
      `#!/bin/sh\nprintf '{"args":"%s","cwd":"%s","runAsNode":"%s"}' "$*" "$(pwd)" "$ELECTRON_RUN_AS_NODE" > ${JSON.stringify(record)}\nexit 7\n`,
    );
    chmodSync(join(dist, 'electron'), 0o755);
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/start.js'), '--', '--enable-logging'], {
      cwd: repoRoot,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
      timeout: 180_000,
    });
    assert.equal(r.status, 7, `start.js passes Electron's exit status on\n${r.stdout}\n${r.stderr}`);
    for (const f of [MAIN_BUNDLE, PRELOAD_BUNDLE, `${RENDERER_DIR}/index.html`]) assert.ok(existsSync(join(repoRoot, f)), f);
    const launched = JSON.parse(readFileSync(record, 'utf8')) as { args: string; cwd: string; runAsNode: string };
    assert.equal(launched.args, `${resolve(repoRoot)} --enable-logging`);
    assert.equal(launched.runAsNode, '', 'ELECTRON_RUN_AS_NODE is cleared, or Electron would not open a window');
  });
});

/**
 * A stand-in for the `electron` module, loaded in place of the real one through a module hook:
 * just enough of the main-process API for the built main bundle to start, and a report of what
 * it did, printed as JSON once the window is up.
 */
const FAKE_ELECTRON = `
import { EventEmitter } from 'node:events';
const report = { setPath: {}, schemes: [], protocols: {}, channels: [], windows: [], menu: [] };
let ready;
const whenReady = new Promise((r) => (ready = r));
export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  getAppPath: () => process.cwd(),
  setPath: (k, v) => (report.setPath[k] = v),
  requestSingleInstanceLock: () => true,
  enableSandbox: () => (report.sandbox = true),
  whenReady: () => whenReady,
  quit: () => {},
  exit: (c) => process.exit(c),
});
export const protocol = { registerSchemesAsPrivileged: (s) => report.schemes.push(...s), handle: (s, h) => (report.protocols[s] = h) };
const handlers = new Map();
export const ipcMain = Object.assign(new EventEmitter(), { handle: (c, h) => handlers.set(c, h), removeHandler: (c) => handlers.delete(c) });
const frame = { url: 'betti://app/index.html', processId: 1, routingId: 1, parent: null };
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = Object.assign(new EventEmitter(), { id: 1, mainFrame: frame, isDestroyed: () => false, send: () => {}, setWindowOpenHandler: () => {} });
    report.windows.push(this);
  }
  loadURL(url) { this.url = url; return Promise.resolve(); }
  maximize() {}
  show() {}
  isMaximized() { return false; }
  getNormalBounds() { return { x: 0, y: 0, width: 1280, height: 800 }; }
}
export const Menu = { buildFromTemplate: (t) => t, setApplicationMenu: (t) => (report.menu = t.map((m) => m.label)) };
export const dialog = { showErrorBox: (t, c) => { console.error(t, c); process.exit(3); }, showMessageBox: async () => ({}), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) };
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
const noop = () => {};
export const session = { defaultSession: { setPermissionRequestHandler: noop, setPermissionCheckHandler: noop, setDevicePermissionHandler: noop, webRequest: { onBeforeRequest: noop, onHeadersReceived: noop } } };
export const shell = { openPath: async () => '' };
// Analysis is not started here (test/app/utility-process-port.test.ts runs the worker bundle).
export const utilityProcess = { fork: () => { throw new Error('utilityProcess.fork is not part of this test'); } };
ready();
setTimeout(async () => {
  const win = report.windows[0];
  const page = await report.protocols.betti(new Request('betti://app/index.html'));
  const info = await handlers.get('betti:app.info')({ sender: win.webContents, senderFrame: frame }, {});
  process.stdout.write(JSON.stringify({
    setPath: report.setPath, schemes: report.schemes, sandbox: report.sandbox, menu: report.menu, channels: [...handlers.keys()],
    window: { url: win.url, webPreferences: win.options.webPreferences },
    page: { status: page.status, type: page.headers.get('content-type'), csp: page.headers.get('content-security-policy'), body: (await page.text()).slice(0, 200) },
    info,
  }));
  process.exit(0);
}, 300);
`;

const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: new URL('./electron.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
`;

describe('the built main bundle', () => {
  it('starts the app: data folder, betti:// page, IPC from the contract, the menu', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'electron.mjs'), FAKE_ELECTRON);
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    const data = join(dir, 'data');
    // out/ was built by `npm start` above.
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(repoRoot, MAIN_BUNDLE)], {
      cwd: repoRoot,
      env: { ...process.env, BETTI_DATA_DIR: data },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as {
      setPath: Record<string, string>;
      schemes: { scheme: string }[];
      sandbox: boolean;
      menu: string[];
      channels: string[];
      window: { url: string; webPreferences: Record<string, unknown> };
      page: { status: number; type: string; csp: string; body: string };
      info: { ok: boolean; value: { name: string; version: string; dbPath: string } };
    };
    assert.equal(report.setPath.userData, data);
    assert.deepEqual(report.schemes.map((s) => s.scheme), ['betti']);
    assert.equal(report.sandbox, true);
    assert.deepEqual(report.menu, ['&File', '&Edit', '&View', '&Help']);
    assert.deepEqual(report.channels.sort(), methodNames.map(channelOf).sort());
    assert.equal(report.window.url, 'betti://app/index.html');
    assert.equal(report.window.webPreferences.preload, join(resolve(repoRoot), PRELOAD_BUNDLE));
    assert.equal(report.page.status, 200);
    assert.equal(report.page.type, 'text/html; charset=utf-8');
    assert.equal(report.page.csp, RENDERER_CSP);
    assert.match(report.page.body, /<!doctype html>/i);
    // The bundled core found package.json through its rewritten import.meta.url.
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual([report.info.ok, report.info.value.name, report.info.value.version, report.info.value.dbPath], [true, 'betti', pkg.version, join(data, 'library.db')]);
  });
});

describe('npm run dist (electron-builder with the real configuration)', () => {
  const dir = tempDir({ after });
  const out = join(dir, 'dist');
  const fakeElectron = join(dir, 'electron-dist');
  mkdirSync(join(fakeElectron, 'resources'), { recursive: true });
  writeFileSync(join(fakeElectron, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(fakeElectron, 'electron'), 0o755);
  for (const f of ['LICENSE', 'LICENSES.chromium.html', 'chrome-sandbox']) writeFileSync(join(fakeElectron, f), '');
  writeFileSync(join(fakeElectron, 'version'), electronVersion);
  // The real config, with only the Electron distribution and the output folder replaced.
  const configFile = join(dir, 'pack.config.ts');
  writeFileSync(
    configFile,
    `import config from ${JSON.stringify(pathToFileURL(join(repoRoot, 'electron.config.ts')).href)};\n` +
      `export default { ...config, electronDist: ${JSON.stringify(fakeElectron)}, electronVersion: ${JSON.stringify(electronVersion)}, directories: { ...config.directories, output: ${JSON.stringify(out)} } };\n`,
  );

  let resources = '';
  let asar: ReturnType<typeof openAsar>;

  it('packs the built app for Linux without errors', () => {
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-app.js')], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
    assert.equal(build.status, 0, build.stderr);
    const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', '--config', configFile], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, CI: '1' },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    resources = join(out, 'linux-unpacked', 'resources');
    asar = openAsar(join(resources, 'app.asar'));
  });

  it('puts the bundles, the renderer, the icons and package.json inside app.asar', () => {
    for (const f of [MAIN_BUNDLE, PRELOAD_BUNDLE, ANALYSIS_WORKER_BUNDLE, READ_WORKER_BUNDLE, `${RENDERER_DIR}/index.html`, 'resources/icons/512x512.png', 'package.json']) {
      assert.ok(asar.entry(f) && !asar.entry(f)?.unpacked, f);
    }
    const pkg = JSON.parse(asar.read('package.json').toString('utf8')) as { main: string; productName: string };
    assert.equal(pkg.main, MAIN_BUNDLE, 'the packed package.json names the packed main bundle');
    assert.ok(asar.read(MAIN_BUNDLE).length > 1000);
    assert.ok(filesUnder(join(repoRoot, RENDERER_DIR)).every((f) => asar.entry(relative(repoRoot, f).split(sep).join('/'))), 'every renderer file');
  });

  it('ships no sources, tests, source maps or dev tools', () => {
    const all = asar.all();
    for (const f of all) {
      assert.ok(!f.endsWith('.map'), f);
      assert.ok(!/^(src-main|src-renderer|test|training|bench|scripts)\//.test(f), f);
    }
    for (const devOnly of ['electron', 'electron-builder', 'vite', 'esbuild', 'eslint']) {
      assert.equal(asar.entry(`node_modules/${devOnly}`), undefined, devOnly);
    }
    for (const dep of ['zod', 'music-metadata', '@tensorflow/tfjs', 'node-taglib-sharp']) assert.ok(asar.entry(`node_modules/${dep}/package.json`), dep);
    // GPL-2.0-only: left out of the app (electron.config.ts, README "Decoding").
    assert.equal(asar.entry('node_modules/@audio/decode-aac/package.json'), undefined, '@audio/decode-aac is not shipped');
    assert.ok(asar.entry('node_modules/@audio/decode-mp3/package.json'), 'the other wasm decoders are');
  });

  it('unpacks the model, the wasm binaries, the demo library and ffmpeg beside the archive, where a path can reach them', () => {
    const mustBeUnpacked = [
      ...filesUnder(join(repoRoot, MODEL_DIR)),
      ...filesUnder(join(repoRoot, DEMO_DIR)),
      ...filesUnder(join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')).filter((f) => f.endsWith('.wasm')),
    ].map((f) => relative(repoRoot, f).split(sep).join('/'));
    assert.ok(mustBeUnpacked.some((f) => f.startsWith(`${MODEL_DIR}/`) && f.endsWith('model.json')), `${MODEL_DIR}/model.json is there to ship`);
    assert.ok(mustBeUnpacked.filter((f) => f.endsWith('.wasm')).length >= 3, 'the tfjs wasm files');
    assert.ok(mustBeUnpacked.includes(`${DEMO_DIR}/LICENSE.md`) && mustBeUnpacked.some((f) => f.startsWith(`${DEMO_DIR}/`) && f.endsWith('.ogg')), 'the demo clips and their licence');
    for (const rel of mustBeUnpacked) {
      assert.equal(asar.entry(rel)?.unpacked, true, `${rel} is marked unpacked in the archive`);
      // Outside asar (npm start) the path is the repository's; inside, code swaps app.asar for
      // app.asar.unpacked (as src-main/audio/ffmpeg-binaries.ts does) and finds a real file.
      assert.ok(existsSync(join(repoRoot, rel)), `${rel} outside asar`);
      const inside = join(resources, 'app.asar', rel).replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
      assert.deepEqual(readFileSync(inside), readFileSync(join(repoRoot, rel)), `${rel} inside asar`);
    }
  });

  it('unpacks the bundled ffmpeg as an executable file', () => {
    const binary = readdirSync(join(repoRoot, 'node_modules/@ffmpeg-installer')).find((d) => d !== 'ffmpeg');
    assert.ok(binary, 'a platform package of @ffmpeg-installer is installed');
    const rel = `node_modules/@ffmpeg-installer/${binary}/ffmpeg`;
    const unpacked = join(resources, 'app.asar.unpacked', rel);
    assert.equal(asar.entry(rel)?.unpacked, true);
    assert.ok(statSync(unpacked).mode & 0o111, 'executable bit kept');
    const v = spawnSync(unpacked, ['-version'], { encoding: 'utf8' });
    assert.equal(v.status, 0);
    assert.match(v.stdout, /^ffmpeg version/);
  });
});
