// The write settings in Chromium against `betti serve`: a person changes where tags go and how they
// are written in the Write view; a refused value says why and saves nothing; what is saved is what
// the core (and the CLI) then use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Settings } from '../../src-main/api/schemas/settings.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { screenshot, servedApp } from './helpers/app.ts';

describe('the write settings in the Write view', { timeout: 180_000 }, () => {
  const app = servedApp('betti-browser-settings-');

  it('refuses an invalid custom field with the reason, saves a valid change, and keeps it across a reload', async () => {
    await app.reportingFailures('write-settings', async () => {
      const { page, errors } = app.browser;
      await page.goto(app.serve.url);
      await page.getByRole('button', { name: 'Write', exact: true }).click();
      const summary = page.locator('summary', { hasText: 'Write settings' });
      await summary.getByText('BETTI_TAGS · ID3v2.4 · append').waitFor();
      await summary.click();
      const form = page.getByRole('form', { name: 'Write settings' });
      const save = form.getByRole('button', { name: 'Save settings' });
      assert.equal(await save.isDisabled(), true, 'nothing changed yet');

      await form.getByLabel('Custom field').fill('my tags');
      await save.click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /field name "MY TAGS" is not GENRE, MOOD, GROUPING or a custom name[\s\S]*Nothing was saved/);
      assert.equal(await form.getByLabel('Custom field').inputValue(), 'my tags', 'the edit stays, to be corrected');

      await form.getByLabel('Custom field').fill('my_tags');
      await form.getByLabel('ID3 version').selectOption('2.3');
      await form.getByLabel(/Keep each file's modification time/).check();
      await save.click();
      await form.getByRole('status').getByText('Settings saved.').waitFor();
      assert.equal(await alert.count(), 0, 'the refusal is gone once a save succeeds');
      assert.equal(await form.getByLabel('Custom field').inputValue(), 'MY_TAGS', 'the form shows the name as it is saved');
      await summary.getByText('MY_TAGS · ID3v2.3 · append').waitFor();
      await screenshot(page, 'write-settings');

      const cli = parseJsonOutput<Settings>(runBetti(['--db', app.db, 'settings', '--json']));
      assert.deepEqual(cli.write, { customField: 'MY_TAGS', id3Version: '2.3', id3v23Separator: '; ', keepMtime: true, defaultMode: 'append' });

      await page.reload();
      await page.getByRole('button', { name: 'Write', exact: true }).click();
      await page.locator('summary', { hasText: 'Write settings' }).getByText('MY_TAGS · ID3v2.3 · append').waitFor();

      // The one refused request is the only error the page logged (Chromium logs its 400).
      assert.deepEqual(
        errors.filter((e) => !/status of 400/.test(e)),
        [],
      );
    });
  });
});
