// First run in Chromium against `betti serve`: the empty library offers the demo, one click
// copies the clips beside the library database and lists them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { servedApp } from './helpers/app.ts';
import type { PageGlobals } from './helpers/page-globals.ts';

describe('the demo library offered on first run', { timeout: 180_000 }, () => {
  const app = servedApp('betti-browser-demo-');

  it('lists the demo clips after one click on "Try the demo library" in the empty library', async () => {
    await app.reportingFailures('demo-library', async () => {
      const { page } = app.browser;
      await page.goto(app.serve.url);
      await page.getByRole('heading', { name: 'Choose a folder to scan' }).waitFor();
      await page.getByRole('button', { name: 'Try the demo library' }).click();
      const demo = join(app.dir, 'Demo library');
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[role="row"][data-track-id]').length > 0);
      const clips = readdirSync(demo).filter((n) => n.endsWith('.ogg'));
      await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('[role="row"][data-track-id]').length === n, clips.length);
      assert.ok(existsSync(join(demo, 'LICENSE.md')));
      assert.match(await page.locator('[role="row"][data-track-id]').first().innerText(), /Betti demo/);
    });
  });
});
