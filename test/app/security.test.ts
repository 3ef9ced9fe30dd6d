// Navigation, new windows, remote requests, permissions and the renderer's origin, checked on
// the guard functions and on fakes of Electron's session and webContents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Session, WebContents } from 'electron';
import { BUILT_RENDERER_ENTRY, isRendererUrl, rendererLocation, type RendererLocation } from '../../src-main/app/renderer-location.ts';
import { installContentsGuards, installSessionGuards, isAllowedNavigation, isAllowedRequest, withRendererCsp } from '../../src-main/app/security.ts';
import { RENDERER_CSP } from '../../src-main/server/renderer-csp.ts';

const built: RendererLocation = { entryUrl: BUILT_RENDERER_ENTRY, kind: 'built' };
const dev: RendererLocation = { entryUrl: 'http://127.0.0.1:5173/', kind: 'dev-server' };

describe("the renderer's location", () => {
  it('is betti://app/index.html unless a dev server is named', () => {
    assert.deepEqual(rendererLocation({}, false), built);
    assert.deepEqual(rendererLocation({ BETTI_RENDERER_URL: 'http://localhost:5173' }, false), { entryUrl: 'http://localhost:5173/', kind: 'dev-server' });
  });

  it('ignores BETTI_RENDERER_URL in a packaged app', () => {
    assert.deepEqual(rendererLocation({ BETTI_RENDERER_URL: 'http://127.0.0.1:5173/' }, true), built);
  });

  it('refuses a dev server that is not plain http on loopback', () => {
    for (const url of ['https://example.com/', 'http://192.168.1.5:5173/', 'http://user:pw@127.0.0.1:5173/', 'file:///tmp/index.html', 'not a url']) {
      assert.throws(() => rendererLocation({ BETTI_RENDERER_URL: url }, false), (err: Error & { kind?: string }) => err.kind === 'invalid-request', url);
    }
  });

  it('matches its own pages by scheme, host and port, never by prefix', () => {
    assert.equal(isRendererUrl('betti://app/index.html', built), true);
    assert.equal(isRendererUrl('betti://app/assets/index-abc.js', built), true);
    assert.equal(isRendererUrl('betti://app.evil/index.html', built), false);
    assert.equal(isRendererUrl('betti://other/index.html', built), false);
    assert.equal(isRendererUrl('https://app/index.html', built), false);
    assert.equal(isRendererUrl('file:///app/out/renderer/index.html', built), false);
    assert.equal(isRendererUrl('http://127.0.0.1:5173/src/App.svelte', dev), true);
    assert.equal(isRendererUrl('http://127.0.0.1:5174/', dev), false);
    assert.equal(isRendererUrl('garbage', built), false);
  });
});

describe('request and navigation policy', () => {
  it('lets requests reach only Betti and browser internals: no remote content', () => {
    assert.equal(isAllowedRequest('betti://app/assets/index.js', built), true);
    assert.equal(isAllowedRequest('data:image/png;base64,AAAA', built), true);
    assert.equal(isAllowedRequest('blob:betti://app/1234', built), true);
    assert.equal(isAllowedRequest('devtools://devtools/bundled/inspector.html', built), true);
    for (const url of ['https://example.com/x.js', 'http://127.0.0.1:5173/', 'ws://127.0.0.1:5173/', 'file:///etc/passwd', 'ftp://example.com/']) {
      assert.equal(isAllowedRequest(url, built), false, url);
    }
  });

  it("allows the dev server's own hot-reload socket and nothing else on loopback", () => {
    assert.equal(isAllowedRequest('http://127.0.0.1:5173/@vite/client', dev), true);
    assert.equal(isAllowedRequest('ws://127.0.0.1:5173/', dev), true);
    assert.equal(isAllowedRequest('ws://127.0.0.1:9999/', dev), false);
    assert.equal(isAllowedRequest('http://127.0.0.1:8080/', dev), false);
  });

  it('allows navigation only within Betti', () => {
    assert.equal(isAllowedNavigation('betti://app/index.html#/review', built), true);
    assert.equal(isAllowedNavigation('https://example.com/', built), false);
    assert.equal(isAllowedNavigation('file:///home/me/Music/', built), false);
  });

  it("replaces any policy a response carries with the renderer's", () => {
    const headers = withRendererCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    assert.deepEqual(headers, { 'Content-Type': ['text/html'], 'Content-Security-Policy': [RENDERER_CSP] });
  });
});

type Handler = (...args: unknown[]) => unknown;

function fakeSession() {
  const handlers: Record<string, Handler> = {};
  const session = {
    setPermissionRequestHandler: (h: Handler) => (handlers.permissionRequest = h),
    setPermissionCheckHandler: (h: Handler) => (handlers.permissionCheck = h),
    setDevicePermissionHandler: (h: Handler) => (handlers.devicePermission = h),
    webRequest: {
      onBeforeRequest: (h: Handler) => (handlers.beforeRequest = h),
      onHeadersReceived: (h: Handler) => (handlers.headersReceived = h),
    },
  };
  return { session: session as unknown as Session, handlers };
}

function fakeContents() {
  const listeners: Record<string, Handler> = {};
  let openHandler: Handler | undefined;
  const contents = {
    on: (event: string, l: Handler) => (listeners[event] = l),
    setWindowOpenHandler: (h: Handler) => (openHandler = h),
  };
  return { contents: contents as unknown as WebContents, listeners, open: (url: string) => openHandler?.({ url }) };
}

function navigation(url: string) {
  let prevented = false;
  return { details: { url, preventDefault: () => (prevented = true) }, prevented: () => prevented };
}

describe('session guards', () => {
  const logs: string[] = [];
  const { session, handlers } = fakeSession();
  installSessionGuards(session, built, (m) => logs.push(m));

  it('denies every permission request and check', () => {
    let granted: boolean | undefined;
    handlers.permissionRequest?.({}, 'media', (g: boolean) => (granted = g));
    assert.equal(granted, false);
    assert.equal(handlers.permissionCheck?.({}, 'notifications', 'betti://app', {}), false);
    assert.equal(handlers.devicePermission?.({ deviceType: 'usb' }), false);
    assert.ok(logs.some((l) => l.includes('media')));
  });

  it('cancels requests for remote content and lets its own through', () => {
    let answer: { cancel?: boolean } | undefined;
    handlers.beforeRequest?.({ url: 'https://cdn.example.com/lib.js' }, (r: { cancel?: boolean }) => (answer = r));
    assert.deepEqual(answer, { cancel: true });
    handlers.beforeRequest?.({ url: 'betti://app/index.html' }, (r: { cancel?: boolean }) => (answer = r));
    assert.deepEqual(answer, { cancel: false });
  });

  it('puts the Content-Security-Policy header on every response', () => {
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    handlers.headersReceived?.({ url: 'betti://app/index.html', responseHeaders: { 'content-type': ['text/html'] } }, (r: typeof answer) => (answer = r));
    assert.deepEqual(answer?.responseHeaders?.['Content-Security-Policy'], [RENDERER_CSP]);
  });
});

describe('webContents guards', () => {
  const logs: string[] = [];
  const { contents, listeners, open } = fakeContents();
  installContentsGuards(contents, built, (m) => logs.push(m));

  it('blocks navigation away from Betti, in any frame', () => {
    const away = navigation('https://example.com/');
    listeners['will-frame-navigate']?.(away.details);
    assert.equal(away.prevented(), true);
    const local = navigation('file:///home/me/Music/');
    listeners['will-frame-navigate']?.(local.details);
    assert.equal(local.prevented(), true);
    const home = navigation('betti://app/index.html');
    listeners['will-frame-navigate']?.(home.details);
    assert.equal(home.prevented(), false);
  });

  it('blocks redirects out of Betti', () => {
    const r = navigation('https://example.com/');
    listeners['will-redirect']?.(r.details);
    assert.equal(r.prevented(), true);
  });

  it('denies every new window', () => {
    assert.deepEqual(open('https://example.com/'), { action: 'deny' });
    assert.deepEqual(open('betti://app/index.html'), { action: 'deny' });
  });

  it('refuses to attach a <webview>', () => {
    let prevented = false;
    listeners['will-attach-webview']?.({ preventDefault: () => (prevented = true) }, {}, {});
    assert.equal(prevented, true);
    assert.ok(logs.some((l) => l.includes('webview')));
  });
});
