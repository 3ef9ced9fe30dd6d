// `npm run bench -- ui [--tracks N] [--reference N] [--runs R] [--rows N]`: the library view in
// Chromium against `betti serve`, with N tracks (default 100,000) in the database, against a
// reference library just large enough for the scroll (`--rows` + 1,000 tracks) measured in the
// same run with the same build and browser: the ratio shows what the size of the library costs.
//   - first paint: from navigation start to the first real rows on screen (the renderer's
//     `betti:library-rows` User Timing mark), median of R page loads;
//   - scrolling: the table scrolled through `--rows` rows (default 5,000) at 20 rows a frame; the
//     time between animation frames (requestAnimationFrame) and Long Animation Frames over 50 ms;
//   - what the long frames were: each Long Animation Frame's time split into the page's scripts (by
//     what invoked them: an arriving listing page, the scroll handler, an animation frame…), the
//     layouts those scripts forced, the frame's own style and layout, and the rest (paint and what
//     the page cannot see: garbage collection, the browser's own work, the machine's other load);
//     and how many listing pages arrived inside them. Chromium's own totals for the whole scroll
//     (CDP Performance.getMetrics) say how much of it was script, style, layout and task time.
// Targets (issue 8): first paint < 1 s and frames under 50 ms with 100,000 tracks. Asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRenderer, openBrowser, startServe } from '../../test/browser/helpers/app.ts';
import type { PageGlobals } from '../../test/browser/helpers/page-globals.ts';
import { makeSyntheticLibrary } from '../../test/browser/helpers/synthetic-library.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const v = Number(process.argv[at + 1]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`usage: npm run bench -- ui [--tracks N] [--reference N] [--runs R] [--rows N]   (--${name} takes a positive whole number)`);
    process.exit(2);
  }
  return v;
}

const tracks = option('tracks', 100_000);
const runs = option('runs', 5);
const scrollRows = option('rows', 5_000);
const reference = option('reference', scrollRows + 1_000);
const ROWS_PER_FRAME = 20;

interface Measured {
  firstPaintMs: number[];
  frames: number;
  frameMean: number;
  frameP95: number;
  frameMax: number;
  over50: number;
  longFrames: number;
  longestFrame: number;
  rowsInDom: number;
  reached: number;
  /** Summed over the long animation frames (> 50 ms). */
  longSplit: LongSplit;
  /** Chromium's totals over the scroll (ms). */
  totals: { script: number; layout: number; style: number; task: number };
}

interface LongSplit {
  frames: number;
  total: number;
  /** Script time by invoker kind (a fetch answer resolving, the scroll event, animation frames…). */
  scripts: Record<string, number>;
  forcedLayout: number;
  styleAndLayout: number;
  rest: number;
  /** Listing or status answers that ended inside a long frame. */
  answers: number;
}

/** What a Long Animation Frame entry carries (Chromium 123+); the test project has no DOM types. */
interface LoafEntry {
  startTime: number;
  duration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: { invokerType: string; invoker: string; duration: number; forcedStyleAndLayoutDuration: number }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function measure(dir: string, name: string, count: number, rendererDir: string): Promise<Measured> {
  const db = join(dir, `${name}.db`);
  const t0 = performance.now();
  makeSyntheticLibrary(db, count);
  process.stderr.write(`${name}: ${count.toLocaleString('en')} tracks written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const serve = await startServe(db, rendererDir);
  const browser = await openBrowser(join(dir, `profile-${name}`));
  try {
    const { page } = browser;
    const firstPaintMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      await page.goto(serve.url);
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).performance.getEntriesByName('betti:library-rows').length > 0, undefined, { timeout: 30_000 });
      firstPaintMs.push(await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.getEntriesByName('betti:library-rows')[0]!.startTime));
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const { metrics: m } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const v = (name: string) => (m.find((x) => x.name === name)?.value ?? 0) * 1000;
      return { script: v('ScriptDuration'), layout: v('LayoutDuration'), style: v('RecalcStyleDuration'), task: v('TaskDuration') };
    };
    const before = await metrics();
    const scroll = await page.evaluate(
      async ({ rows, perFrame }) => {
        const g = globalThis as unknown as PageGlobals;
        const viewport = g.document.querySelector('.viewport')!;
        const first = g.document.querySelector('.viewport [role="row"]') as unknown as { getBoundingClientRect(): { height: number } };
        const rowHeight = first.getBoundingClientRect().height;
        const long: LoafEntry[] = [];
        new g.PerformanceObserver((list) => {
          for (const e of list.getEntries()) long.push(e as unknown as LoafEntry);
        }).observe({ type: 'long-animation-frame' });
        const answers: number[] = [];
        new g.PerformanceObserver((list) => {
          for (const e of list.getEntries() as unknown as { name: string; responseEnd: number }[]) if (e.name.includes('/api/')) answers.push(e.responseEnd);
        }).observe({ type: 'resource' });
        const deltas: number[] = [];
        await new Promise<void>((resolve) => {
          let last = -1;
          const step = (t: number) => {
            if (last >= 0) deltas.push(t - last);
            last = t;
            if (viewport.scrollTop >= rows * rowHeight || viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight) return resolve();
            viewport.scrollTop += perFrame * rowHeight;
            g.requestAnimationFrame(step);
          };
          g.requestAnimationFrame(step);
        });
        // Let the last pages arrive and their frames be reported.
        await new Promise((r) => setTimeout(r, 500));
        const loafs = long.map((e) => ({
          startTime: e.startTime,
          duration: e.duration,
          renderStart: e.renderStart,
          styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: e.scripts.map((x) => ({ invokerType: x.invokerType, invoker: x.invoker, duration: x.duration, forcedStyleAndLayoutDuration: x.forcedStyleAndLayoutDuration })),
        }));
        return { deltas, long: loafs, answers, rowsInDom: g.document.querySelectorAll('.viewport [role="row"]').length, reached: Math.round(viewport.scrollTop / rowHeight) };
      },
      { rows: scrollRows, perFrame: ROWS_PER_FRAME },
    );
    const after = await metrics();
    await cdp.detach();
    const d = [...scroll.deltas].sort((a, b) => a - b);
    return {
      firstPaintMs,
      frames: d.length,
      frameMean: d.reduce((a, b) => a + b, 0) / Math.max(1, d.length),
      frameP95: d[Math.floor(d.length * 0.95)] ?? NaN,
      frameMax: d.at(-1) ?? NaN,
      over50: d.filter((x) => x > 50).length,
      longFrames: scroll.long.filter((x) => x.duration > 50).length,
      longestFrame: Math.max(0, ...scroll.long.map((x) => x.duration)),
      longSplit: splitLongFrames(scroll.long.filter((x) => x.duration > 50), scroll.answers),
      totals: { script: after.script - before.script, layout: after.layout - before.layout, style: after.style - before.style, task: after.task - before.task },
      rowsInDom: scroll.rowsInDom,
      reached: scroll.reached,
    };
  } finally {
    await browser.close();
    await serve.stop();
  }
}

/** Where the long frames' time went (see the header). */
function splitLongFrames(frames: LoafEntry[], answers: number[]): LongSplit {
  const out: LongSplit = { frames: frames.length, total: 0, scripts: {}, forcedLayout: 0, styleAndLayout: 0, rest: 0, answers: 0 };
  for (const f of frames) {
    const end = f.startTime + f.duration;
    out.total += f.duration;
    let script = 0;
    for (const s of f.scripts) {
      // Promise resolutions of fetch answers show as 'resolve-promise' (Response.json …).
      const kind = s.invokerType === 'user-callback' && s.invoker.includes('FrameRequestCallback') ? 'animation frame' : s.invokerType;
      out.scripts[kind] = (out.scripts[kind] ?? 0) + s.duration;
      out.forcedLayout += s.forcedStyleAndLayoutDuration;
      script += s.duration;
    }
    const styleAndLayout = f.styleAndLayoutStart > 0 ? end - f.styleAndLayoutStart : 0;
    out.styleAndLayout += styleAndLayout;
    out.rest += Math.max(0, f.duration - script - styleAndLayout);
    out.answers += answers.filter((t) => t >= f.startTime && t <= end).length;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'betti-bench-ui-'));
try {
  buildRenderer(join(dir, 'renderer'));
  const ref = await measure(dir, 'reference', reference, join(dir, 'renderer'));
  const big = await measure(dir, 'large', tracks, join(dir, 'renderer'));
  const rows: [string, number, number, string][] = [
    ['first rows painted, median (ms)', median(ref.firstPaintMs), median(big.firstPaintMs), '< 1000'],
    ['first rows painted, worst (ms)', Math.max(...ref.firstPaintMs), Math.max(...big.firstPaintMs), '< 1000'],
    [`scroll ${scrollRows.toLocaleString('en')} rows: frames`, ref.frames, big.frames, ''],
    ['frame time, mean (ms)', ref.frameMean, big.frameMean, ''],
    ['frame time, p95 (ms)', ref.frameP95, big.frameP95, '< 50'],
    ['frame time, max (ms)', ref.frameMax, big.frameMax, '< 50'],
    ['frames over 50 ms', ref.over50, big.over50, '0'],
    ['long animation frames > 50 ms', ref.longFrames, big.longFrames, '0'],
    ['longest animation frame (ms)', ref.longestFrame, big.longestFrame, ''],
    ['rows in the DOM after scrolling', ref.rowsInDom, big.rowsInDom, ''],
    ['row reached', ref.reached, big.reached, ''],
  ];
  const fmt = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(1));
  const ratio = (a: number, b: number) => (a > 0 ? `${(b / a).toFixed(2)}×` : '—');
  console.log(`## ui: library view, ${tracks.toLocaleString('en')} tracks vs a ${reference.toLocaleString('en')}-track reference (Chromium ${'headless'}, ${runs} loads)\n`);
  console.log(`| measure | ${reference.toLocaleString('en')} tracks (reference) | ${tracks.toLocaleString('en')} tracks | ratio | target |`);
  console.log('|---|---:|---:|---:|---|');
  for (const [name, a, b, target] of rows) console.log(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${ratio(a, b)} | ${target} |`);

  const kinds = [...new Set([...Object.keys(ref.longSplit.scripts), ...Object.keys(big.longSplit.scripts)])].sort();
  const split: [string, number, number][] = [
    ['long frames', ref.longSplit.frames, big.longSplit.frames],
    ['their time (ms)', ref.longSplit.total, big.longSplit.total],
    ...kinds.map((k): [string, number, number] => [`  scripts: ${k} (ms)`, ref.longSplit.scripts[k] ?? 0, big.longSplit.scripts[k] ?? 0]),
    ['  of which layout forced by scripts (ms)', ref.longSplit.forcedLayout, big.longSplit.forcedLayout],
    ['  style and layout (ms)', ref.longSplit.styleAndLayout, big.longSplit.styleAndLayout],
    ['  rest: paint, GC, browser, machine load (ms)', ref.longSplit.rest, big.longSplit.rest],
    ['listing answers arriving inside them', ref.longSplit.answers, big.longSplit.answers],
    ['whole scroll: script (ms)', ref.totals.script, big.totals.script],
    ['whole scroll: style recalculation (ms)', ref.totals.style, big.totals.style],
    ['whole scroll: layout (ms)', ref.totals.layout, big.totals.layout],
    ['whole scroll: main-thread tasks (ms)', ref.totals.task, big.totals.task],
  ];
  console.log(`\n### where the long animation frames (> 50 ms) went\n`);
  console.log(`| measure | ${reference.toLocaleString('en')} tracks (reference) | ${tracks.toLocaleString('en')} tracks | ratio |`);
  console.log('|---|---:|---:|---:|');
  for (const [name, a, b] of split) console.log(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${ratio(a, b)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
