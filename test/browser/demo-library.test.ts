// First run in Chromium against `betti serve`: the empty library offers the demo, one click
// copies the clips beside the library database and lists them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildRenderer, openBrowser, screenshot, startServe, type Browser, type ServeProcess } from './helpers/app.ts';
import type { PageGlobals } from './helpers/page-globals.ts';

describe('the demo library offered on first run', { timeout: 180_000 }, () => {
  let dir = '';
  let serve: ServeProcess;
  let browser: Browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'betti-browser-demo-'));
    buildRenderer(join(dir, 'renderer'));
    serve = await startServe(join(dir, 'library.db'), join(dir, 'renderer'));
    browser = await openBrowser(join(dir, 'profile'));
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the demo clips after one click on "Try the demo library" in the empty library', async () => {
    const { page } = browser;
    try {
      await page.goto(serve.url);
      await page.getByRole('heading', { name: 'Choose a folder to scan' }).waitFor();
      await page.getByRole('button', { name: 'Try the demo library' }).click();
      const demo = join(dir, 'Demo library');
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[role="row"][data-track-id]').length > 0);
      const clips = readdirSync(demo).filter((n) => n.endsWith('.ogg'));
      await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('[role="row"][data-track-id]').length === n, clips.length);
      assert.ok(existsSync(join(demo, 'LICENSE.md')));
      assert.match(await page.locator('[role="row"][data-track-id]').first().innerText(), /Betti demo/);
    } catch (err) {
      await screenshot(browser.page, 'demo-library-failure');
      throw new Error(`${(err as Error).message}\nbetti serve stderr:\n${serve.stderr().slice(-3000)}`, { cause: err });
    }
  });
});
