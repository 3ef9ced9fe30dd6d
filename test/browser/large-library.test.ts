// The library view with 100,000 tracks in the database (rows written through the library's query
// layer, not scanned): the table draws only the rows on screen, fetches pages as it scrolls,
// reaches row 5,000 and the last row, sorts, searches and filters on the server. How fast it
// paints and scrolls is measured by `npm run bench -- ui`, not asserted here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { openBrowser, screenshot, servedApp } from './helpers/app.ts';
import { api } from './helpers/music.ts';
import type { PageGlobals } from './helpers/page-globals.ts';
import { makeSyntheticLibrary } from './helpers/synthetic-library.ts';

const TRACKS = 100_000;

type Scroller = { scrollTop: number; clientHeight: number; scrollHeight: number };

describe('the library table with 100,000 tracks', { timeout: 300_000 }, () => {
  const app = servedApp('betti-browser-', (_dir, db) => makeSyntheticLibrary(db, TRACKS));

  before(async () => {
    await app.browser.page.goto(app.serve.url);
    await app.browser.page.locator('[role="row"][data-track-id]').first().waitFor();
  });

  const rowsInDom = () => app.browser.page.locator('.viewport [role="row"]').count();

  it('announces every track but draws only the rows on screen', async () => {
    const { page } = app.browser;
    assert.equal(await page.getByRole('grid', { name: 'Library' }).getAttribute('aria-rowcount'), String(TRACKS + 1));
    await page.getByText('100,000 tracks').waitFor();
    const n = await rowsInDom();
    assert.ok(n > 10 && n < 100, `${n} rows in the DOM`);
  });

  it('scrolls to row 5,000 and fetches its page', async () => {
    const { page } = app.browser;
    const height = await page.locator('.viewport [role="row"]').first().evaluate((el) => (el as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height);
    await page.locator('.viewport').evaluate((el, top) => ((el as unknown as Scroller).scrollTop = top), 5000 * height);
    await page.locator('[role="row"][aria-rowindex="5002"][data-track-id]').waitFor();
    const title = await page.locator('[role="row"][aria-rowindex="5002"] .cell.title').innerText();
    const expected = await api(app.serve, 'library.list', { sort: 'artist', offset: 5000, limit: 1 });
    assert.equal(title, expected.tracks[0]!.tags.title);
    assert.ok((await rowsInDom()) < 100);
  });

  it('jumps to the last track with End', async () => {
    const { page } = app.browser;
    await page.locator('[role="row"][data-track-id]').first().click();
    await page.keyboard.press('End');
    await page.locator(`[role="row"][aria-rowindex="${TRACKS + 1}"][data-track-id]`).waitFor();
    const last = await api(app.serve, 'library.list', { sort: 'artist', offset: TRACKS - 1, limit: 1 });
    assert.equal(await page.locator(`[role="row"][aria-rowindex="${TRACKS + 1}"]`).getAttribute('data-track-id'), String(last.tracks[0]!.id));
    await page.locator('aside h2').getByText(last.tracks[0]!.tags.title!).waitFor();
  });

  it('sorts by a column on the server', async () => {
    const { page } = app.browser;
    await page.getByRole('columnheader', { name: 'Title' }).getByRole('button').click();
    await page.locator('[role="columnheader"][aria-sort="ascending"]', { hasText: 'Title' }).waitFor();
    const first = await api(app.serve, 'library.list', { sort: 'title', limit: 3 });
    await page.locator('.viewport').evaluate((el) => ((el as unknown as Scroller).scrollTop = 0));
    await page.locator('[role="row"][aria-rowindex="2"][data-track-id]').waitFor();
    for (let i = 0; i < 3; i++) {
      assert.equal(await page.locator(`[role="row"][aria-rowindex="${i + 2}"] .cell.title`).innerText(), first.tracks[i]!.tags.title);
    }
  });

  it('searches and filters by format, with counts from the server', async () => {
    const { page } = app.browser;
    await page.getByLabel('Search the library').fill('velvet ember');
    const found = await api(app.serve, 'library.list', { search: 'velvet ember', limit: 1 });
    assert.ok(found.total > 0 && found.total < TRACKS);
    await page.getByText(`${found.total.toLocaleString('en')} of 100,000 tracks`).waitFor();
    const titles = await page.locator('.viewport [role="row"][data-track-id] .cell.title').allInnerTexts();
    const albums = await page.locator('.viewport [role="row"][data-track-id] .cell.album').allInnerTexts();
    titles.forEach((t, i) => assert.match(`${t} ${albums[i]}`, /velvet|ember/i));

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText('100,000 tracks').waitFor();
    await page.locator('label.chip', { hasText: /^\s*flac\s*$/ }).click();
    const flac = await api(app.serve, 'library.list', { formats: ['flac'], limit: 1 });
    await page.getByText(`${flac.total.toLocaleString('en')} of 100,000 tracks`).waitFor();
    const formats = await page.locator('.viewport [role="row"][data-track-id] .cell.format').allInnerTexts();
    assert.ok(formats.length > 0 && formats.every((f) => f === 'flac'), formats.join(','));
  });

  it('filters by a tag and by analysis, with counts from the server', async () => {
    const { page } = app.browser;
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText('100,000 tracks').waitFor();
    await page.getByLabel('Only tracks with this tag').fill('jazz');
    const jazz = await api(app.serve, 'library.list', { tag: 'jazz', limit: 1 });
    assert.ok(jazz.total > 0 && jazz.total < TRACKS);
    await page.getByText(`${jazz.total.toLocaleString('en')} of 100,000 tracks`).waitFor();
    const genres = await page.locator('.viewport [role="row"][data-track-id] .cell.genre').allInnerTexts();
    assert.ok(genres.length > 0 && genres.every((g) => g === 'Jazz'), genres.join(','));
    // Nothing in the synthetic library is analysed.
    await page.getByLabel('Filter by analysis').selectOption('yes');
    await page.getByText('No tracks match').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByText('100,000 tracks').waitFor();
  });

  it('stays readable in the dark theme at 125% zoom: nothing overflows sideways', async () => {
    const dark = await openBrowser(join(app.dir, 'profile-dark'), { colorScheme: 'dark', viewport: { width: 1120, height: 720 }, deviceScaleFactor: 1.25 });
    try {
      await dark.page.goto(app.serve.url);
      await dark.page.locator('[role="row"][data-track-id]').first().click();
      await dark.page.locator('aside h2').waitFor();
      const layout = await dark.page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals & { getComputedStyle(el: unknown): { backgroundColor: string }; document: { body: unknown } };
        return { scrollWidth: g.document.documentElement.scrollWidth, clientWidth: g.document.documentElement.clientWidth, bg: g.getComputedStyle(g.document.body).backgroundColor };
      });
      assert.ok(layout.scrollWidth <= layout.clientWidth, `the page is ${layout.scrollWidth}px wide in a ${layout.clientWidth}px window`);
      const [r = 255, gr = 255, b = 255] = (layout.bg.match(/\d+/g) ?? []).map(Number);
      assert.ok(r + gr + b < 120, `the background ${layout.bg} is not dark`);
      // The status columns stay inside the table (narrow tables leave out album and genre instead).
      const grid = (await dark.page.getByRole('grid', { name: 'Library' }).boundingBox())!;
      for (const name of ['Title', 'Analysis', 'To review']) {
        const box = (await dark.page.getByRole('columnheader', { name }).boundingBox())!;
        assert.ok(box.x >= grid.x && box.x + box.width <= grid.x + grid.width + 1, `the ${name} column is cut off`);
      }
      await screenshot(dark.page, 'library-dark-125');
      assert.deepEqual(dark.errors, []);
    } finally {
      await dark.close();
    }
  });

  it('logged no errors in the page', () => {
    assert.deepEqual(app.browser.errors, []);
  });
});
