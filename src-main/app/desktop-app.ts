// The desktop app's lifecycle: one instance, one window, the menu, the IPC bridge, the betti://
// protocol and the security guards, wired over the plain-Node core. It receives the Electron
// modules it uses as arguments (main.ts passes the real ones), so tests run it in Node against
// fakes and see exactly what it asks of Electron.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { App, BrowserWindow, Dialog, IpcMain, IpcMainEvent, Menu, Protocol, Rectangle, Screen, Session, Shell } from 'electron';
import { createContext, type ServiceContext } from '../api/context.ts';
import { createDirectClient } from '../api/direct.ts';
import { fromWireError, toWireError, type BettiError } from '../api/errors.ts';
import { EventBus } from '../api/events.ts';
import { createService } from '../api/service.ts';
import { appPaths, type AppPaths } from './app-paths.ts';
import { createFolderActions, type FolderActions } from './folder-actions.ts';
import { FOLDERS_DROPPED_CHANNEL } from './folder-drop.ts';
import { forwardEvents, registerIpcHandlers } from './ipc.ts';
import { buildMenuTemplate } from './menu.ts';
import { RENDERER_SCHEME, RENDERER_SCHEME_PRIVILEGES, rendererLocation, type RendererLocation } from './renderer-location.ts';
import { createRendererProtocolHandler } from './renderer-protocol.ts';
import { installContentsGuards, installSessionGuards } from './security.ts';
import { AppStateStore, loadAppState, MIN_WINDOW, type WindowState } from './state.ts';
import { createSenderCheck } from './trusted-sender.ts';
import { utilityProcesses, type UtilityProcessModule } from './utility-process-port.ts';
import { mainWindowOptions, restoreBounds } from './window.ts';

/** The Electron main-process modules the app uses. */
export interface ElectronMain {
  app: App;
  BrowserWindow: typeof BrowserWindow;
  Menu: typeof Menu;
  dialog: Dialog;
  ipcMain: IpcMain;
  protocol: Protocol;
  session: { readonly defaultSession: Session };
  shell: Shell;
  screen: Screen;
  /** Starts the analysis workers (Electron's utilityProcess). */
  utilityProcess: UtilityProcessModule;
}

export interface DesktopAppOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  log?: (message: string) => void;
}

/** What startDesktopApp hands back: enough for a test to drive and inspect the running app. */
export interface DesktopApp {
  /** False when another Betti already runs: this process is quitting. */
  readonly primary: boolean;
  readonly paths: AppPaths;
  readonly location: RendererLocation;
  /** Resolves once the window is created (never, when not primary). */
  readonly ready: Promise<void>;
  mainWindow(): BrowserWindow | undefined;
  folders(): FolderActions | undefined;
}

function windowStateOf(bounds: Rectangle, maximized: boolean): WindowState {
  return {
    width: Math.max(MIN_WINDOW.width, Math.round(bounds.width)),
    height: Math.max(MIN_WINDOW.height, Math.round(bounds.height)),
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    maximized,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Starts the app. Everything that Electron requires before `ready` (single-instance lock,
 * userData, privileged scheme) happens synchronously in this call.
 */
export function startDesktopApp(e: ElectronMain, opts: DesktopAppOptions = {}): DesktopApp {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const log = opts.log ?? ((message: string) => console.log(`betti: ${message}`));
  const paths = appPaths(e.app.getAppPath(), env, platform);
  const location = rendererLocation(env, e.app.isPackaged);

  let win: BrowserWindow | undefined;
  let folderActions: FolderActions | undefined;
  const handle = { paths, location, mainWindow: () => win, folders: () => folderActions };

  e.app.setPath('userData', paths.dataDir);
  e.app.setPath('sessionData', paths.sessionDataDir);
  if (!e.app.requestSingleInstanceLock()) {
    log('another Betti is already running; handing over to it');
    e.app.quit();
    return { ...handle, primary: false, ready: new Promise<void>(() => undefined) };
  }
  e.protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { ...RENDERER_SCHEME_PRIVILEGES } }]);
  e.app.enableSandbox();
  e.app.on('web-contents-created', (_event, contents) => installContentsGuards(contents, location, log));
  e.app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  e.app.on('window-all-closed', () => {
    if (platform !== 'darwin') e.app.quit();
  });

  const report = (error: BettiError) => {
    log(`${error.kind}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
    const options = { type: 'error' as const, title: 'Betti', message: error.message, detail: error.hint ?? '' };
    void (win ? e.dialog.showMessageBox(win, options) : e.dialog.showMessageBox(options));
  };

  const onReady = async () => {
    const loaded = loadAppState(paths.stateFile);
    if (loaded.problem) log(`${loaded.problem}${loaded.backupPath ? `; the old file is kept as ${loaded.backupPath}` : ''}`);
    const store = new AppStateStore(paths.stateFile, loaded.state, { onError: (err) => log(`cannot save ${paths.stateFile}: ${String(err)}`) });

    const bus = new EventBus();
    // Analysis runs in utility processes (one per worker), as VS Code moves heavy work out of the
    // main process: a stuck or crashing model never freezes the window's main process.
    const analysisSpawn = utilityProcesses({ utilityProcess: e.utilityProcess, entry: paths.analysisWorker, env });
    const ctx: ServiceContext = createContext({ dbPath: paths.dbPath, bus, analysisSpawn, readWorker: pathToFileURL(paths.readWorker) });
    const service = createService(ctx);
    const client = createDirectClient(service, bus);

    installSessionGuards(e.session.defaultSession, location, log);
    e.protocol.handle(RENDERER_SCHEME, createRendererProtocolHandler({ rendererDir: paths.rendererDir }));

    const isTrustedSender = createSenderCheck(() => win?.webContents, location, log);
    registerIpcHandlers({ ipcMain: e.ipcMain, service, isTrustedSender, onError: (method, error) => log(`${method} failed: ${error.kind}: ${error.message}`) });
    forwardEvents(bus, () => win?.webContents);

    folderActions = createFolderActions({
      pickFolders: async (defaultPath) => {
        const options = { title: 'Add a music folder', properties: ['openDirectory' as const, 'multiSelections' as const], ...(defaultPath ? { defaultPath } : {}) };
        const r = await (win ? e.dialog.showOpenDialog(win, options) : e.dialog.showOpenDialog(options));
        return r.canceled ? [] : r.filePaths;
      },
      isDirectory,
      scan: async (folders) => {
        const s = await client['library.scan']({ folders });
        log(`scanned ${folders.join(', ')}: ${s.scanned} files, ${s.new} new, ${s.changed} changed, ${s.moved} moved, ${s.missing} missing, ${s.errors} errors`);
      },
      store,
      report,
    });
    const actions = folderActions;
    e.ipcMain.on(FOLDERS_DROPPED_CHANNEL, (event: IpcMainEvent, raw: unknown) => {
      if (isTrustedSender(event)) void actions.addDroppedPaths(raw);
    });

    const setMenu = () => {
      const template = buildMenuTemplate(
        {
          addFolder: () => void actions.addFolderFromPicker(),
          rescan: () => void actions.rescan(),
          setRescanOnLaunch: (enabled) => store.update((s) => ({ ...s, settings: { ...s.settings, rescanOnLaunch: enabled } })),
          openDemo: () => {
            void client['app.openDemo']({}).then(
              (demo) => {
                log(`demo library in ${demo.folder}: ${demo.copied} files copied, ${demo.scan.new} new tracks`);
                // The window lists the library when it loads: reloading shows the demo's tracks.
                win?.webContents.reload();
              },
              (err: unknown) => report(fromWireError(toWireError(err))),
            );
          },
          showSettings: () => {
            bus.emit('app.show', { view: 'write', section: 'write-settings' });
            win?.focus();
          },
          showDataFolder: () => void e.shell.openPath(paths.dataDir).then((problem) => problem && log(`cannot open ${paths.dataDir}: ${problem}`)),
          showAbout: () => {
            void client['app.info']({}).then((info) => {
              const detail = `Version ${info.version}\nElectron ${process.versions.electron ?? '?'} · Node ${info.node} · ${info.platform}\nLibrary: ${info.dbPath}`;
              const options = { type: 'info' as const, title: 'About Betti', message: 'Betti', detail };
              return win ? e.dialog.showMessageBox(win, options) : e.dialog.showMessageBox(options);
            });
          },
        },
        { platform, development: !e.app.isPackaged, rescanOnLaunch: store.state.settings.rescanOnLaunch },
      );
      e.Menu.setApplicationMenu(e.Menu.buildFromTemplate(template));
    };

    const createWindow = () => {
      const saved = store.state.window;
      const bounds = restoreBounds(saved, e.screen.getAllDisplays().map((d) => d.workArea));
      const icon = !e.app.isPackaged && existsSync(paths.windowIcon) ? paths.windowIcon : undefined;
      const w = new e.BrowserWindow(mainWindowOptions({ preloadPath: paths.preloadPath, bounds, ...(icon ? { iconPath: icon } : {}) }));
      win = w;
      if (saved.maximized) w.maximize();
      w.once('ready-to-show', () => w.show());
      w.on('close', () => store.update((s) => ({ ...s, window: windowStateOf(w.getNormalBounds(), w.isMaximized()) })));
      w.on('closed', () => {
        if (win === w) win = undefined;
      });
      w.webContents.on('render-process-gone', (_event, details) => log(`the window's renderer stopped (${details.reason}); reload it with View → Reload or restart Betti`));
      w.loadURL(location.entryUrl).catch((err: unknown) => log(`cannot load ${location.entryUrl}: ${String(err)}`));
    };

    setMenu();
    createWindow();
    e.app.on('activate', () => {
      if (!win) createWindow();
    });
    e.app.on('before-quit', () => {
      store.flush();
      // A scan in progress stops between files; what it read is kept.
      void client['library.cancelScan']({}).catch(() => undefined);
    });
    // Quitting closes the window after before-quit, and its 'close' records the bounds: save again.
    e.app.on('will-quit', () => {
      store.flush();
      void ctx.close();
    });

    if (store.state.settings.rescanOnLaunch && store.state.lastFolders.length > 0) void actions.rescan();
  };

  const ready = e.app.whenReady().then(onReady);
  ready.catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    log(`could not start: ${message}`);
    e.dialog.showErrorBox('Betti could not start', message);
    e.app.exit(1);
  });
  return { ...handle, primary: true, ready };
}
