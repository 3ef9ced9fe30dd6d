// The whole journey in Chromium against `betti serve`, on a generated library: scan → analyse →
// inspect (the pictures are drawn) → accept some, reject some, undo one, batch-accept →
// the preview shows exactly the planned changes → write → the files' tags, read back with
// music-metadata, changed as previewed → undo → restored.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { canvasVariety, outputDir, screenshot, servedApp } from './helpers/app.ts';
import { api, fieldValues, makeMusicFolder } from './helpers/music.ts';
import type { PageGlobals } from './helpers/page-globals.ts';

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('the app in a browser, end to end', { timeout: 300_000 }, () => {
  let music = '';
  const app = servedApp('betti-browser-', (dir) => {
    music = makeMusicFolder(dir);
  });

  it('scans, analyses, inspects, reviews, previews, writes and undoes', () => app.reportingFailures('end-to-end', journey));

  async function journey(): Promise<void> {
    const { page, errors } = app.browser;
    const serve = app.serve;
    await page.goto(serve.url);

    // An empty library says what to do next.
    await page.getByRole('heading', { name: 'Choose a folder to scan' }).waitFor();

    // Scan through the folder field.
    await page.getByLabel('Folders to scan').fill(music);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    const rows = page.locator('[role="row"][data-track-id]');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[role="row"][data-track-id]').length === 4);
    assert.match(await page.locator('.summary').first().innerText(), /Scanned 4 files: 4 new/);

    // Analyse, watching for layout shifts while progress updates arrive.
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      const shifts: number[] = (g.shifts = []);
      new g.PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) shifts.push(e.value ?? 0);
      }).observe({ type: 'layout-shift' });
    });
    await page.getByRole('button', { name: 'Analyse library' }).click();
    await page.getByText(/Analysis done: 4 analysed/).waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => [...(globalThis as unknown as PageGlobals).document.querySelectorAll('[role="row"][data-track-id] .analysis')].every((c) => c.textContent?.trim() === 'Analysed'), undefined, {
      timeout: 10_000,
    });
    const shift = await page.evaluate(() => ((globalThis as unknown as PageGlobals).shifts ?? []).reduce((a, b) => a + b, 0));
    assert.ok(shift < 0.02, `layout shifted by ${shift} while the analysis ran`);

    // Inspect the first track: spectrogram and landscapes drawn, a persistence diagram computed.
    await rows.first().click();
    const spectrogram = page.locator('canvas.spectrogram');
    const landscapes = page.locator('canvas.landscapes');
    await spectrogram.waitFor();
    await landscapes.waitFor();
    await page.locator('.persistence svg.diagram circle').first().waitFor();
    assert.ok((await canvasVariety(page, 'canvas.spectrogram')) > 0.3, 'the spectrogram canvas is blank');
    assert.ok((await canvasVariety(page, 'canvas.landscapes')) > 0.3, 'the landscape canvas is blank');
    // Step through channels with the keyboard until one has a diagram with several pairs.
    await landscapes.focus();
    let pairs = 0;
    for (let channel = 1; channel < 64 && pairs < 3; channel++) {
      await page.keyboard.press('ArrowDown');
      await page.getByText(new RegExp(`^Channel ${channel}, `)).waitFor();
      pairs = await page.locator('.persistence svg.diagram circle').count();
    }
    assert.ok(pairs >= 3, 'no channel of the first segment has a persistence diagram with 3 pairs');
    await screenshot(page, 'library');
    // The whole inspector (it scrolls in the window): a tall window for this one picture.
    await page.setViewportSize({ width: 1400, height: 1700 });
    await page.locator('aside.aside').screenshot({ path: join(outputDir, 'inspector.png') });
    await page.setViewportSize({ width: 1400, height: 900 });

    // Tags below the quality bar are scored but never suggested, and the inspector says why.
    const withheld = page.locator('aside [data-withheld]');
    assert.ok((await withheld.count()) >= 1, 'the shipped model withholds some tags; the inspector lists none');
    assert.match((await withheld.first().textContent()) ?? '', /^never suggested: validation /);
    await page.getByText(/^Every other tag the model scored/).click();
    await withheld.first().waitFor();
    await page.setViewportSize({ width: 1400, height: 2400 });
    await page.locator('aside.aside').screenshot({ path: join(outputDir, 'inspector-other-tags.png') });
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByText(/^Every other tag the model scored/).click();

    // Decide in the inspector: accept the first suggestion, reject the second.
    const items = page.locator('aside [data-suggestion-id]');
    assert.ok((await items.count()) >= 2, 'the first track has fewer than two suggestions');
    const firstId = Number(await items.nth(0).getAttribute('data-suggestion-id'));
    const secondId = Number(await items.nth(1).getAttribute('data-suggestion-id'));
    await items.nth(0).getByRole('button', { name: 'Accept' }).click();
    await items.nth(1).getByRole('button', { name: 'Reject' }).click();
    await page.locator(`aside [data-suggestion-id="${secondId}"][data-decision="rejected"]`).waitFor();
    await page.locator(`aside [data-suggestion-id="${firstId}"][data-decision="accepted"]`).waitFor();

    // Review with the keyboard: a accepts, r rejects, u undoes the last decision.
    await page.locator('h1').click();
    await page.keyboard.press('2');
    const options = page.locator('[role="option"][data-suggestion-id]');
    await options.first().waitFor();
    const a = Number(await options.nth(0).getAttribute('data-suggestion-id'));
    const r = Number(await options.nth(1).getAttribute('data-suggestion-id'));
    await page.keyboard.press('a');
    await page.locator(`[role="option"][data-suggestion-id="${a}"][data-decision="accepted"]`).waitFor();
    await page.keyboard.press('r');
    await page.locator(`[role="option"][data-suggestion-id="${r}"][data-decision="rejected"]`).waitFor();
    await page.keyboard.press('u');
    await page.locator(`[role="option"][data-suggestion-id="${r}"][data-decision="pending"]`).waitFor();
    const decided = new Map((await api(serve, 'review.list', { decision: 'all', limit: 10_000 })).suggestions.map((s) => [s.id, s.decision]));
    assert.deepEqual([decided.get(firstId), decided.get(secondId), decided.get(a), decided.get(r)], ['accepted', 'rejected', 'accepted', 'pending']);

    // `?` shows the keys.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keys' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keys' }).waitFor({ state: 'hidden' });

    // Batch: select the mp3 and the ogg track (rows 2 and 4 by artist), accept their suggestions at
    // or above a confidence; with the flac decided in the inspector, all three formats get written.
    await page.keyboard.press('1');
    await rows.nth(1).click();
    await rows.nth(3).click({ modifiers: ['Control'] });
    const batchTracks = [Number(await rows.nth(1).getAttribute('data-track-id')), Number(await rows.nth(3).getAttribute('data-track-id'))];
    assert.deepEqual(await Promise.all([rows.nth(1), rows.nth(3)].map((r) => r.locator('.cell.format').innerText())), ['mp3', 'ogg']);
    const beforeBatch = (await api(serve, 'review.list', { trackIds: batchTracks, decision: 'all', limit: 10_000 })).suggestions;
    const pendingBefore = beforeBatch.filter((s) => s.decision === 'pending');
    assert.ok(pendingBefore.length >= 2, 'the batch tracks have fewer than two pending suggestions');
    const confidences = pendingBefore.map((s) => s.confidence).sort((x, y) => y - x);
    const min = Math.floor(confidences[Math.floor(confidences.length / 2)]! * 1000) / 1000;
    const expectAccepted = pendingBefore.filter((s) => s.confidence >= min).map((s) => s.id);
    const acceptedEarlier = beforeBatch.filter((s) => s.decision === 'accepted').map((s) => s.id);
    assert.ok(expectAccepted.length < pendingBefore.length, 'the batch threshold would accept everything');
    await page.locator('h1').click();
    await page.keyboard.press('2');
    await page.getByLabel('Selected tracks (2)').check();
    await page.getByLabel('Minimum confidence').fill(String(min));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText(`This accepts ${expectAccepted.length} suggestion`).waitFor();
    await page.getByRole('button', { name: `Accept ${expectAccepted.length}` }).click();
    await page.getByText(`Accepted ${expectAccepted.length} suggestion`).waitFor();
    const afterBatch = (await api(serve, 'review.list', { trackIds: batchTracks, decision: 'all', limit: 10_000 })).suggestions;
    const byId = (x: number, y: number) => x - y;
    assert.deepEqual(
      afterBatch
        .filter((s) => s.decision === 'accepted')
        .map((s) => s.id)
        .sort(byId),
      [...acceptedEarlier, ...expectAccepted].sort(byId),
    );
    assert.deepEqual(
      afterBatch.filter((s) => s.decision === 'rejected').map((s) => s.id),
      beforeBatch.filter((s) => s.decision === 'rejected').map((s) => s.id),
      'the batch changed a rejection',
    );

    // Preview: for every file with accepted suggestions, each field before → after.
    const accepted = (await api(serve, 'review.list', { decision: 'accepted', limit: 10_000 })).suggestions;
    const expected = new Map<string, Map<string, string[]>>();
    for (const s of accepted) {
      const fields = expected.get(s.path) ?? new Map<string, string[]>();
      fields.set(s.field, [...(fields.get(s.field) ?? []), s.tag]);
      expected.set(s.path, fields);
    }
    assert.deepEqual(
      [...new Set([...expected.keys()].map((p) => p.slice(p.lastIndexOf('.') + 1)))].sort(),
      ['flac', 'mp3', 'ogg'],
      'every format of the library gets a change (Vorbis comments and ID3v2)',
    );
    await page.locator('h1').click();
    await page.keyboard.press('3');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.locator('section.preview').waitFor();
    const previewed = new Map<string, Map<string, { before: string[]; after: string[] }>>();
    for (const [path, fields] of expected) {
      const file = page.locator(`section.preview li[data-path="${path}"]`);
      assert.equal(await file.getAttribute('data-status'), 'change', `${path} is not previewed as changing`);
      const perField = new Map<string, { before: string[]; after: string[] }>();
      for (const [field, tags] of fields) {
        const row = file.locator(`tr[data-field="${field}"]`);
        const before = JSON.parse((await row.locator('td.before').getAttribute('data-values')) ?? '[]') as string[];
        const afterValues = JSON.parse((await row.locator('td.after').getAttribute('data-values')) ?? '[]') as string[];
        assert.deepEqual(sorted(before), sorted(await fieldValues(path, field)), `${path} ${field}: "before" is not what the file holds`);
        assert.deepEqual(sorted(afterValues), sorted([...new Set([...before, ...tags])]), `${path} ${field}: "after" is not the file's values plus the accepted tags`);
        perField.set(field, { before, after: afterValues });
      }
      previewed.set(path, perField);
    }
    assert.equal(await page.locator('section.preview li[data-status="change"]').count(), expected.size, 'the preview changes files without accepted suggestions');
    await screenshot(page, 'preview');

    // Write, then read every file back with music-metadata.
    await page.getByRole('button', { name: /^Write \d+ files?$/ }).click();
    const written = page.locator('section[aria-label="Written"]');
    await written.waitFor({ timeout: 60_000 });
    assert.equal(await written.locator('li[data-status="ok"]').count(), expected.size, await written.innerText());
    for (const [path, fields] of previewed) {
      for (const [field, { after: want }] of fields) assert.deepEqual(sorted(await fieldValues(path, field)), sorted(want), `${path} ${field} after the write`);
    }

    // Undo the batch from the history: every field back as before.
    const batch = page.locator('tr[data-batch-id]').first();
    const batchId = await batch.getAttribute('data-batch-id');
    await batch.getByRole('button', { name: 'Undo' }).click();
    await page.locator(`section[aria-label="Undo of batch #${batchId}"]`).waitFor({ timeout: 60_000 });
    for (const [path, fields] of previewed) {
      for (const [field, { before: want }] of fields) assert.deepEqual(sorted(await fieldValues(path, field)), sorted(want), `${path} ${field} after the undo`);
    }
    await page.getByText(`undone by #`).first().waitFor();

    assert.deepEqual(errors, [], 'the page logged errors');
  }
});
