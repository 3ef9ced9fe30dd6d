// The main window's options, as data a test can read, and where the window reopens.
//
// webPreferences follow Electron's security checklist: the page gets no Node, runs sandboxed in
// its own JavaScript world, keeps same-origin policy, and cannot host <webview> or open itself
// to dropped files (the preload turns a dropped folder into "add this folder" instead).
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { MIN_WINDOW, type WindowState } from './state.ts';

export interface MainWindowInputs {
  /** Absolute path of the bundled preload (out/main/preload.cjs). */
  preloadPath: string;
  /** The window icon (Linux and Windows use it when running unpackaged). */
  iconPath?: string;
  bounds: { width: number; height: number; x?: number; y?: number };
}

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const satisfies NonNullable<BrowserWindowConstructorOptions['webPreferences']>;

export function mainWindowOptions(inputs: MainWindowInputs): BrowserWindowConstructorOptions {
  const options: BrowserWindowConstructorOptions = {
    title: 'Betti',
    width: inputs.bounds.width,
    height: inputs.bounds.height,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    // Shown on 'ready-to-show', so the first paint is the app and not a blank frame.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: inputs.preloadPath },
  };
  if (inputs.bounds.x !== undefined && inputs.bounds.y !== undefined) {
    options.x = inputs.bounds.x;
    options.y = inputs.bounds.y;
  }
  if (inputs.iconPath) options.icon = inputs.iconPath;
  return options;
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where the window reopens: the saved size (shrunk to fit the largest screen), and the saved
 * position only when enough of the window would be on a screen that is still attached — a
 * monitor unplugged since last time must not leave the window off-screen.
 */
export function restoreBounds(saved: WindowState, workAreas: readonly Rectangle[]): MainWindowInputs['bounds'] {
  const largest = workAreas.reduce<Rectangle | undefined>((best, a) => (!best || a.width * a.height > best.width * best.height ? a : best), undefined);
  const width = largest ? Math.max(MIN_WINDOW.width, Math.min(saved.width, largest.width)) : saved.width;
  const height = largest ? Math.max(MIN_WINDOW.height, Math.min(saved.height, largest.height)) : saved.height;
  if (saved.x === undefined || saved.y === undefined) return { width, height };
  const { x, y } = saved;
  const rect = { x, y, width, height };
  // At least a quarter of the window, and its title bar row, must land on one screen.
  const visible = workAreas.some((a) => overlap(rect, a) >= (width * height) / 4 && y >= a.y && y < a.y + a.height);
  return visible ? rect : { width, height };
}
