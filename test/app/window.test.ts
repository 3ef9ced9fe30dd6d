// The BrowserWindow options as data: Electron's security checklist, item by item.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultAppState, MIN_WINDOW } from '../../src-main/app/state.ts';
import { mainWindowOptions, restoreBounds } from '../../src-main/app/window.ts';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('main window options', () => {
  const options = mainWindowOptions({ preloadPath: '/app/out/main/preload.cjs', iconPath: '/app/resources/icons/512x512.png', bounds: { width: 1200, height: 800, x: 40, y: 50 } });
  const web = options.webPreferences ?? {};

  it('isolates the page: context isolation and the sandbox on, Node off everywhere', () => {
    assert.equal(web.contextIsolation, true);
    assert.equal(web.sandbox, true);
    assert.equal(web.nodeIntegration, false);
    assert.equal(web.nodeIntegrationInWorker, false);
    assert.equal(web.nodeIntegrationInSubFrames, false);
  });

  it('keeps web security on and the risky switches off', () => {
    assert.equal(web.webSecurity, true);
    assert.equal(web.allowRunningInsecureContent, false);
    assert.equal(web.experimentalFeatures, false);
    assert.equal(web.webviewTag, false);
    assert.equal(web.navigateOnDragDrop, false);
    assert.equal(web.enableBlinkFeatures, undefined);
  });

  it('loads the bundled preload and nothing else into the page', () => {
    assert.equal(web.preload, '/app/out/main/preload.cjs');
    assert.deepEqual(Object.keys(web).sort(), [
      'allowRunningInsecureContent',
      'contextIsolation',
      'experimentalFeatures',
      'navigateOnDragDrop',
      'nodeIntegration',
      'nodeIntegrationInSubFrames',
      'nodeIntegrationInWorker',
      'preload',
      'safeDialogs',
      'sandbox',
      'spellcheck',
      'webSecurity',
      'webviewTag',
    ]);
  });

  it('opens hidden at the restored bounds, no smaller than the minimum', () => {
    assert.equal(options.show, false);
    assert.deepEqual([options.width, options.height, options.x, options.y], [1200, 800, 40, 50]);
    assert.deepEqual([options.minWidth, options.minHeight], [MIN_WINDOW.width, MIN_WINDOW.height]);
    assert.equal(options.icon, '/app/resources/icons/512x512.png');
  });

  it('lets the window manager place a window that has no saved position', () => {
    const o = mainWindowOptions({ preloadPath: '/p.cjs', bounds: { width: 1000, height: 700 } });
    assert.equal(o.x, undefined);
    assert.equal(o.y, undefined);
    assert.equal(o.icon, undefined);
  });
});

describe('window bounds on reopening', () => {
  it('reopens where it was when that place is on a screen', () => {
    assert.deepEqual(restoreBounds({ width: 1000, height: 700, x: 100, y: 80, maximized: false }, [screen]), { width: 1000, height: 700, x: 100, y: 80 });
  });

  it('drops a position on a screen that is no longer attached', () => {
    assert.deepEqual(restoreBounds({ width: 1000, height: 700, x: 2500, y: 80, maximized: false }, [screen]), { width: 1000, height: 700 });
  });

  it('drops a position whose title bar would be above the screen', () => {
    assert.deepEqual(restoreBounds({ width: 1000, height: 700, x: 100, y: -300, maximized: false }, [screen]), { width: 1000, height: 700 });
  });

  it('keeps a position on a second screen', () => {
    const second = { x: 1920, y: 0, width: 1280, height: 1024 };
    assert.deepEqual(restoreBounds({ width: 1000, height: 700, x: 2000, y: 100, maximized: false }, [screen, second]), { width: 1000, height: 700, x: 2000, y: 100 });
  });

  it('shrinks a saved size to the largest screen, never below the minimum', () => {
    const small = { x: 0, y: 0, width: 1024, height: 600 };
    assert.deepEqual(restoreBounds({ width: 3000, height: 2000, maximized: false }, [small]), { width: 1024, height: 600 });
    const tiny = { x: 0, y: 0, width: 640, height: 400 };
    assert.deepEqual(restoreBounds(defaultAppState().window, [tiny]), { width: MIN_WINDOW.width, height: MIN_WINDOW.height });
  });
});
