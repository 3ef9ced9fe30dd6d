// The guards Electron's security checklist asks for, installed on the session and on every
// webContents (checklist §§4–7, 13, 14, 12):
// - every permission request and check is denied (Betti needs no camera, notifications, …);
// - every response carries the renderer's Content-Security-Policy, also from the dev server;
// - no request leaves for anything but Betti's own page (no remote content);
// - navigation away from Betti's page, new windows and <webview> attachment are blocked.
// The decisions are pure functions, tested in plain Node; the install functions only wire them.
import type { Session, WebContents } from 'electron';
import { RENDERER_CSP } from '../server/renderer-csp.ts';
import { isRendererUrl, type RendererLocation } from './renderer-location.ts';

/** Schemes a page may load from besides its own origin: inline data and Chromium's own tools. */
const INTERNAL_SCHEMES = new Set(['data:', 'blob:', 'devtools:', 'chrome:', 'chrome-extension:', 'about:']);

/** Whether a request from inside the app may go out: only to Betti's page or browser internals. */
export function isAllowedRequest(url: string, location: RendererLocation): boolean {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return false;
  }
  if (INTERNAL_SCHEMES.has(protocol)) return true;
  if (isRendererUrl(url, location)) return true;
  // The dev server's hot-reload socket: same host and port, ws: instead of http:.
  if (location.kind === 'dev-server' && protocol === 'ws:') return isRendererUrl(url.replace(/^ws:/, 'http:'), location);
  return false;
}

/** Whether a frame may navigate to `url`: only within Betti's page. */
export function isAllowedNavigation(url: string, location: RendererLocation): boolean {
  return isRendererUrl(url, location);
}

/** Response headers with the renderer's policy in place of any policy the response had. */
export function withRendererCsp(headers: Record<string, string[]> | undefined, csp: string = RENDERER_CSP): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

export type Log = (message: string) => void;

export function installSessionGuards(session: Session, location: RendererLocation, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`denied a permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, location);
    if (!allowed) log(`blocked a request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withRendererCsp(details.responseHeaders) });
  });
}

export function installContentsGuards(contents: WebContents, location: RendererLocation, log: Log): void {
  contents.on('will-frame-navigate', (details) => {
    if (!isAllowedNavigation(details.url, location)) {
      log(`blocked navigation to ${details.url}`);
      details.preventDefault();
    }
  });
  contents.on('will-redirect', (details) => {
    if (!isAllowedNavigation(details.url, location)) {
      log(`blocked a redirect to ${details.url}`);
      details.preventDefault();
    }
  });
  contents.setWindowOpenHandler((details) => {
    log(`blocked a new window for ${details.url}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    log('blocked a <webview>');
    event.preventDefault();
  });
}
