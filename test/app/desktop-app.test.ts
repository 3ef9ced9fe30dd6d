// The desktop app's lifecycle in plain Node: startDesktopApp runs against fakes of Electron's
// main-process modules (the binary cannot run here) and the real core over a temporary library.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { MenuItem, MenuItemConstructorOptions } from 'electron';
import { channelOf, EVENT_CHANNEL, methodNames } from '../../src-main/api/contract.ts';
import { startDesktopApp, type ElectronMain } from '../../src-main/app/desktop-app.ts';
import { FOLDERS_DROPPED_CHANNEL } from '../../src-main/app/folder-drop.ts';
import type { IpcEnvelope } from '../../src-main/app/ipc-envelope.ts';
import { BUILT_RENDERER_ENTRY, RENDERER_SCHEME } from '../../src-main/app/renderer-location.ts';
import { STATE_FILE_NAME } from '../../src-main/app/state.ts';
import type { UtilityChild, UtilityProcessModule } from '../../src-main/app/utility-process-port.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

type Fn = (...args: unknown[]) => unknown;

/** A 0.1 s, 16 kHz mono 16-bit WAV of silence: real audio the scanner reads. */
function writeWav(path: string): void {
  const samples = 1600;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(16000, 24);
  b.writeUInt32LE(32000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples * 2, 40);
  writeFileSync(path, b);
}

class Emitter {
  readonly listeners = new Map<string, Fn[]>();
  on(event: string, l: Fn) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
    return this;
  }
  once(event: string, l: Fn) {
    return this.on(event, l);
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

function fakeElectron(opts: { lock?: boolean; pickFolders?: string[]; appPath?: string } = {}) {
  const log: string[] = [];
  let resolveReady: () => void = () => undefined;
  const whenReady = new Promise<void>((r) => (resolveReady = r));
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    getAppPath: () => opts.appPath ?? repoRoot,
    setPath: (name: string, path: string) => log.push(`setPath ${name} ${path}`),
    requestSingleInstanceLock: () => opts.lock ?? true,
    quit: () => log.push('quit'),
    exit: (code: number) => log.push(`exit ${code}`),
    enableSandbox: () => log.push('enableSandbox'),
    whenReady: () => whenReady,
  });
  const sessionHandlers: Record<string, Fn> = {};
  const defaultSession = {
    setPermissionRequestHandler: (h: Fn) => (sessionHandlers.permissionRequest = h),
    setPermissionCheckHandler: (h: Fn) => (sessionHandlers.permissionCheck = h),
    setDevicePermissionHandler: (h: Fn) => (sessionHandlers.devicePermission = h),
    webRequest: { onBeforeRequest: (h: Fn) => (sessionHandlers.beforeRequest = h), onHeadersReceived: (h: Fn) => (sessionHandlers.headersReceived = h) },
  };
  const handlers = new Map<string, Fn>();
  const ipcMain = Object.assign(new Emitter(), {
    handle: (channel: string, l: Fn) => handlers.set(channel, l),
    removeHandler: (channel: string) => handlers.delete(channel),
  });
  const windows: FakeWindow[] = [];
  const mainFrame = { url: BUILT_RENDERER_ENTRY, processId: 3, routingId: 1, parent: null };
  class FakeWindow extends Emitter {
    readonly options: Record<string, unknown>;
    readonly webContents = Object.assign(new Emitter(), {
      id: 11,
      mainFrame,
      sent: [] as unknown[][],
      isDestroyed: () => false,
      send: (...args: unknown[]) => this.webContents.sent.push(args),
      reload: () => this.calls.push('reload'),
      setWindowOpenHandler: () => undefined,
    });
    loaded: string | undefined;
    calls: string[] = [];
    normalBounds = { x: 10, y: 20, width: 1000, height: 700 };
    maximized = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    show() {
      this.calls.push('show');
    }
    maximize() {
      this.maximized = true;
      this.calls.push('maximize');
    }
    isMaximized() {
      return this.maximized;
    }
    isMinimized() {
      return true;
    }
    restore() {
      this.calls.push('restore');
    }
    focus() {
      this.calls.push('focus');
    }
    getNormalBounds() {
      return this.normalBounds;
    }
  }
  // Records each fork; the child ends at once, as a worker whose script cannot start would.
  const forks: { modulePath: string; env: Record<string, string> }[] = [];
  const utilityProcess: UtilityProcessModule = {
    fork(modulePath, _args, options = {}) {
      forks.push({ modulePath, env: options.env ?? {} });
      const child = Object.assign(new EventEmitter(), { postMessage: () => undefined, kill: () => true, stdout: null, stderr: null });
      setImmediate(() => child.emit('exit', 1));
      return child as unknown as UtilityChild;
    },
  };
  const menus: MenuItemConstructorOptions[][] = [];
  const dialogs: { kind: string; options: Record<string, unknown> }[] = [];
  const protocolHandlers = new Map<string, (r: Request) => Promise<Response>>();
  const e = {
    app,
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t, setApplicationMenu: (m: MenuItemConstructorOptions[]) => menus.push(m) },
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        dialogs.push({ kind: 'open', options: args.at(-1) as Record<string, unknown> });
        return { canceled: false, filePaths: opts.pickFolders ?? [] };
      },
      showMessageBox: async (...args: unknown[]) => {
        dialogs.push({ kind: 'message', options: args.at(-1) as Record<string, unknown> });
        return { response: 0, checkboxChecked: false };
      },
      showErrorBox: (title: string, content: string) => dialogs.push({ kind: 'error', options: { title, content } }),
    },
    ipcMain,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => log.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme: string, h: (r: Request) => Promise<Response>) => protocolHandlers.set(scheme, h),
    },
    session: { defaultSession },
    shell: { openPath: async (p: string) => (log.push(`openPath ${p}`), '') },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    utilityProcess,
  };
  const trusted = () => ({ sender: windows[0]?.webContents, senderFrame: mainFrame });
  return {
    electron: e as unknown as ElectronMain,
    log,
    ready: () => resolveReady(),
    windows,
    handlers,
    ipcMain,
    menus,
    dialogs,
    protocolHandlers,
    sessionHandlers,
    forks,
    trusted,
    invoke: async (name: Parameters<typeof channelOf>[0], request: unknown) => (await handlers.get(channelOf(name))?.(trusted(), request)) as IpcEnvelope,
  };
}

function findItem(template: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of template) {
    if (item.id === id) return item;
    const inner = Array.isArray(item.submenu) ? findItem(item.submenu as MenuItemConstructorOptions[], id) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function setup(t: TestContext) {
  const dir = tempDir(t);
  const dataDir = join(dir, 'data');
  const music = join(dir, 'Music');
  mkdirSync(music);
  writeWav(join(music, 'silence.wav'));
  const env = { BETTI_DATA_DIR: dataDir };
  return { dir, dataDir, music, env };
}

async function started(t: TestContext, s: ReturnType<typeof setup>, opts: Parameters<typeof fakeElectron>[0] = {}) {
  const f = fakeElectron(opts);
  const logs: string[] = [];
  const app = startDesktopApp(f.electron, { env: s.env, platform: 'linux', log: (m) => logs.push(m) });
  f.ready();
  await app.ready;
  // Closes the library database, as quitting the app does.
  t.after(() => f.electron.app.emit('will-quit'));
  return { f, app, logs };
}

describe('desktop app lifecycle', () => {
  it('hands over to the running Betti when another instance holds the lock', (t) => {
    const s = setup(t);
    const f = fakeElectron({ lock: false });
    const app = startDesktopApp(f.electron, { env: s.env, platform: 'linux', log: () => undefined });
    assert.equal(app.primary, false);
    assert.ok(f.log.includes('quit'));
    assert.ok(!f.log.some((l) => l.startsWith('registerSchemesAsPrivileged')));
  });

  it('before ready: keeps its data in the shared folder and registers betti:// as a secure standard scheme', (t) => {
    const s = setup(t);
    const f = fakeElectron();
    startDesktopApp(f.electron, { env: s.env, platform: 'linux', log: () => undefined });
    assert.deepEqual(f.log, [
      `setPath userData ${s.dataDir}`,
      `setPath sessionData ${join(s.dataDir, 'Chromium')}`,
      `registerSchemesAsPrivileged [{"scheme":"${RENDERER_SCHEME}","privileges":{"standard":true,"secure":true,"supportFetchAPI":true}}]`,
      'enableSandbox',
    ]);
  });

  it('refuses to start on a BETTI_RENDERER_URL that is not loopback', () => {
    const f = fakeElectron();
    assert.throws(() => startDesktopApp(f.electron, { env: { BETTI_RENDERER_URL: 'https://example.com/' }, platform: 'linux', log: () => undefined }), /not a loopback http URL/);
  });

  it('on ready: opens one secure window on betti://app/index.html, with the menu, protocol, guards and IPC', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    assert.equal(f.windows.length, 1);
    const win = f.windows[0];
    assert.equal(win?.loaded, BUILT_RENDERER_ENTRY);
    const web = win?.options.webPreferences as Record<string, unknown>;
    assert.deepEqual([web.contextIsolation, web.sandbox, web.nodeIntegration, web.webSecurity], [true, true, false, true]);
    assert.equal(web.preload, join(repoRoot, 'out/main/preload.cjs'));
    win?.emit('ready-to-show');
    assert.ok(win?.calls.includes('show'));
    assert.ok(f.protocolHandlers.has(RENDERER_SCHEME));
    assert.deepEqual([...f.handlers.keys()].sort(), methodNames.map(channelOf).sort());
    assert.equal(f.ipcMain.listeners.get(FOLDERS_DROPPED_CHANNEL)?.length, 1);
    assert.equal(typeof f.sessionHandlers.permissionRequest, 'function');
    assert.equal(typeof f.sessionHandlers.headersReceived, 'function');
    assert.deepEqual(f.menus[0]?.map((m) => m.label), ['&File', '&Edit', '&View', '&Help']);
  });

  it('guards every webContents Electron creates', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    let openHandler: Fn | undefined;
    const contents = Object.assign(new Emitter(), { setWindowOpenHandler: (h: Fn) => (openHandler = h) });
    (f.electron.app as unknown as Emitter).emit('web-contents-created', {}, contents);
    assert.deepEqual(openHandler?.({ url: 'https://example.com/' }), { action: 'deny' });
    assert.ok(contents.listeners.has('will-frame-navigate'));
  });

  it('answers API calls from its window over IPC, against the library in the data folder', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    const env = await f.invoke('app.info', {});
    assert.equal(env.ok, true);
    assert.equal((env as { value: { dbPath: string } }).value.dbPath, join(s.dataDir, 'library.db'));
  });

  it('runs analysis workers as utility processes forked from the bundled worker entry', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    const r = await f.invoke('analysis.start', { jobs: 1 });
    assert.equal(r.ok, false, 'the fake child exits before it is ready');
    assert.ok(f.forks.length >= 1);
    assert.equal(f.forks[0]?.modulePath, join(repoRoot, 'out/main/analysis-worker.js'));
    assert.equal(f.forks[0]?.env.BETTI_WORKER_INIT, '{}');
    assert.equal(f.forks[0]?.env.BETTI_DATA_DIR, s.dataDir, "the child gets the app's environment");
  });

  it('Help → Open Demo Library copies the demo into the data folder, scans it and reloads the window', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    const item = findItem(f.menus[0] ?? [], 'open-demo');
    (item?.click as (i: MenuItem) => void)({} as MenuItem);
    await until(() => f.windows[0]?.calls.includes('reload') ?? false, 'the window to reload');
    const demo = join(s.dataDir, 'Demo library');
    assert.ok(existsSync(join(demo, 'LICENSE.md')));
    const list = await f.invoke('library.list', {});
    const clips = readdirSync(demo).filter((n) => n.endsWith('.ogg'));
    assert.equal((list as { value: { total: number } }).value.total, clips.length);
  });

  it('Edit → Settings… asks the window to show the write settings', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    const item = findItem(f.menus[0] ?? [], 'settings');
    (item?.click as (i: MenuItem) => void)({} as MenuItem);
    assert.deepEqual(f.windows[0]?.webContents.sent.at(-1), [EVENT_CHANNEL, { event: 'app.show', payload: { view: 'write', section: 'write-settings' } }]);
  });

  it('scans a folder dropped on the window, remembers it, and streams progress to the window', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    f.ipcMain.emit(FOLDERS_DROPPED_CHANNEL, f.trusted(), [s.music]);
    await until(() => (f.windows[0]?.webContents.sent ?? []).some((m) => (m[1] as { payload?: { phase?: string } }).payload?.phase === 'finish'), 'the scan to finish');
    const list = await f.invoke('library.list', {});
    assert.equal(list.ok, true);
    assert.equal((list as { value: { total: number } }).value.total, 1);
    assert.ok(f.windows[0]?.webContents.sent.every((m) => m[0] === EVENT_CHANNEL));
    f.electron.app.emit('before-quit');
    const state = JSON.parse(readFileSync(join(s.dataDir, STATE_FILE_NAME), 'utf8')) as { lastFolders: string[] };
    assert.deepEqual(state.lastFolders, [s.music]);
  });

  it('reads a large folder with the read workers of its own build, as the packaged app must (src-main is not shipped)', async (t) => {
    // An app root with only the build in it, inside the repository so the bundles find node_modules.
    const appRoot = join(repoRoot, 'test-output', `desktop-app-${process.pid}`);
    t.after(() => rmSync(appRoot, { recursive: true, force: true }));
    const { buildApp } = (await import(pathToFileURL(join(repoRoot, 'scripts/build-app.js')).href)) as { buildApp: (o: { outDir: string; renderer: boolean }) => Promise<{ readWorker: string }> };
    const { readWorker } = await buildApp({ outDir: join(appRoot, 'out'), renderer: false });
    // The built read worker, behind a shim that notes each start: run from source, the app would
    // find library/read-worker-entry.js too, so only the note tells which script its scan used.
    const starts = join(appRoot, 'read-worker-starts.txt');
    renameSync(readWorker, readWorker.replace(/\.js$/, '.real.js'));
    writeFileSync(readWorker, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(starts)}, 'started\\n');\nawait import('./read-worker.real.js');\n`);
    const s = setup(t);
    // Enough files for the scan to start its read workers (below 500 it reads them on its own thread).
    for (let i = 0; i < 520; i++) copyFileSync(join(s.music, 'silence.wav'), join(s.music, `copy ${i}.wav`));
    const { f, logs } = await started(t, s, { appPath: appRoot });
    f.ipcMain.emit(FOLDERS_DROPPED_CHANNEL, f.trusted(), [s.music]);
    await until(() => logs.some((l) => l.startsWith('scanned ')), 'the scan to finish', 30_000);
    assert.ok(logs.includes(`scanned ${s.music}: 521 files, 521 new, 0 changed, 0 moved, 0 missing, 0 errors`), logs.join('\n'));
    assert.ok(existsSync(starts) && readFileSync(starts, 'utf8').startsWith('started'), 'the scan started its read workers from out/main/read-worker.js');
  });

  it('ignores a drop message from anything but its own window', async (t) => {
    const s = setup(t);
    const { f, logs } = await started(t, s);
    const stranger = { sender: { id: 99, mainFrame: {}, isDestroyed: () => false }, senderFrame: { url: 'https://example.com/', processId: 9, routingId: 9, parent: null } };
    f.ipcMain.emit(FOLDERS_DROPPED_CHANNEL, stranger, [s.music]);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(logs.some((l) => l.includes('refused an IPC message')));
    const list = await f.invoke('library.list', {});
    assert.equal((list as { value: { total: number } }).value.total, 0);
  });

  it('File → Add Folder… opens the native folder picker and scans what was picked', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s, { pickFolders: [s.music] });
    const item = findItem(f.menus[0] ?? [], 'add-folder');
    (item?.click as (i: MenuItem) => void)({} as MenuItem);
    await until(() => f.dialogs.some((d) => d.kind === 'open'), 'the picker');
    assert.deepEqual((f.dialogs[0]?.options as { properties: string[] }).properties, ['openDirectory', 'multiSelections']);
    await until(() => (f.windows[0]?.webContents.sent.length ?? 0) > 0, 'scan progress');
  });

  it('File → Rescan with nothing added yet explains what to do in a dialog', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    (findItem(f.menus[0] ?? [], 'rescan')?.click as (i: MenuItem) => void)({} as MenuItem);
    await until(() => f.dialogs.some((d) => d.kind === 'message'), 'the dialog');
    const box = f.dialogs.find((d) => d.kind === 'message')?.options as { type: string; message: string; detail: string };
    assert.equal(box.type, 'error');
    assert.match(box.message, /no folder to rescan/);
    assert.match(box.detail, /Add Folder/);
  });

  it('saves the window size on close and reopens at it, maximized if it was', async (t) => {
    const s = setup(t);
    const first = await started(t, s);
    const win = first.f.windows[0];
    assert.ok(win);
    win.normalBounds = { x: 100, y: 120, width: 1111, height: 777 };
    win.maximized = true;
    // Quitting: before-quit first, then the window closes, then will-quit.
    first.f.electron.app.emit('before-quit');
    win.emit('close');
    first.f.electron.app.emit('will-quit');
    const second = await started(t, s);
    const opts = second.f.windows[0]?.options as { width: number; height: number; x: number; y: number };
    assert.deepEqual([opts.width, opts.height, opts.x, opts.y], [1111, 777, 100, 120]);
    assert.ok(second.f.windows[0]?.calls.includes('maximize'));
  });

  it('brings its window forward when a second copy is started', async (t) => {
    const s = setup(t);
    const { f } = await started(t, s);
    f.electron.app.emit('second-instance');
    assert.deepEqual(f.windows[0]?.calls, ['restore', 'focus']);
  });

  it('rescans the remembered folders at launch when the setting is on', async (t) => {
    const s = setup(t);
    mkdirSync(s.dataDir, { recursive: true });
    writeFileSync(join(s.dataDir, STATE_FILE_NAME), JSON.stringify({ version: 1, window: { width: 1000, height: 700, maximized: false }, lastFolders: [s.music], settings: { rescanOnLaunch: true } }));
    const { f } = await started(t, s);
    await until(() => (f.windows[0]?.webContents.sent ?? []).some((m) => (m[1] as { payload?: { phase?: string } }).payload?.phase === 'finish'), 'the launch rescan');
    assert.equal(findItem(f.menus[0] ?? [], 'rescan-on-launch')?.checked, true);
  });

  it('starts with the defaults, and says so, when the state file is corrupt', async (t) => {
    const s = setup(t);
    mkdirSync(s.dataDir, { recursive: true });
    writeFileSync(join(s.dataDir, STATE_FILE_NAME), '{{{');
    const { f, logs } = await started(t, s);
    assert.equal(f.windows.length, 1);
    assert.ok(logs.some((l) => /not valid JSON.*kept as .*corrupt-/.test(l)), logs.join('\n'));
  });
});
