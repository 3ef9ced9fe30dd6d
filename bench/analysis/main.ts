// `npm run bench -- analysis [--tracks N] [--picture-tracks N] [--memory-tracks N] [--keep]`
// Analysing a generated library of 4-minute tracks (half mp3, half flac) with the real worker pool,
// the real model and a real library database, everything measured in this run:
//   - tracks/s with 1 and 2 workers, per format, default windows, pictures off and on
//     (targets: ≥ 5 tracks/s per core on mp3s; 2 workers ≥ 1.7× one);
//   - per-stage time per track (decode, log-mel, convolutional part, landscape layer, rest), as the
//     workers measured it, and the landscape layer's share (target ≤ 10 %);
//   - the ratio of the whole analysis to decode + network without the landscape branch: the FCN
//     (the PCNN minus its landscape branch, trained the same way) on the same tracks, in turn;
//   - CPU seconds per track (worker threads, main thread and the ffmpeg decoder processes), since
//     on a shared machine tracks per CPU-second is the honest "per core" figure;
//   - memory: a worker's RSS and live tensors after 100 and after 1,000 tracks (target: within 10 %).
// Nothing is asserted. Generated audio lives under the OS temp folder and is removed afterwards.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisPool } from '../../src-main/analysis/pool.ts';
import { AnalysisRun, type RunStatus } from '../../src-main/analysis/run.ts';
import type { WorkerInit } from '../../src-main/analysis/worker-port.ts';
import { workerThreads } from '../../src-main/analysis/worker-thread-port.ts';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { scanFolders } from '../../src-main/library/scan.ts';
import { formatTable, type Row } from '../features/table.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  const n = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench analysis: ${name} must be a whole number ≥ 1\nusage: npm run bench -- analysis [--tracks N] [--picture-tracks N] [--memory-tracks N] [--keep]`);
    process.exit(2);
  }
  return n;
};
const TRACKS = option('--tracks', 200);
const PICTURE_TRACKS = option('--picture-tracks', 30);
const MEMORY_TRACKS = option('--memory-tracks', 1000);
const TRACK_SECONDS = 240;
const SEGMENTS = 8; // a track is 8 × 30-s pieces of generated audio, concatenated without re-encoding
const SEGMENT_SECONDS = TRACK_SECONDS / SEGMENTS;

const root = mkdtempSync(join(tmpdir(), 'betti-bench-analysis-'));
process.on('exit', () => {
  if (!args.includes('--keep')) rmSync(root, { recursive: true, force: true });
});

function ffmpeg(argv: string[]): void {
  const r = spawnSync('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...argv], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${argv.join(' ')}: ${r.stderr}`);
}

const codec: Record<'mp3' | 'flac', string[]> = { mp3: ['-c:a', 'libmp3lame', '-b:a', '192k'], flac: ['-c:a', 'flac'] };

/** Eight distinct 30-s pieces per format: chords, a pulse and noise that differ from piece to piece. */
function makeSegments(format: 'mp3' | 'flac'): string[] {
  const dir = join(root, 'segments', format);
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: SEGMENTS }, (_, i) => {
    const f = 110 * (1 + i / 4);
    const expr = `0.25*sin(${f}*2*PI*t)+0.15*sin(${f * 1.5}*2*PI*t)+0.1*sin(${f * 2.01}*2*PI*t)*(0.5+0.5*sin(${1 + i}*PI*t))+0.08*(random(${i})-0.5)*lt(mod(t*${2 + i / 2}\\,1)\\,0.08)`;
    const path = join(dir, `seg-${i}.${format}`);
    ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=${expr}|${expr.replace(`random(${i})`, `random(${i + 50})`)}:s=44100:d=${SEGMENT_SECONDS}`, ...codec[format], path]);
    return path;
  });
}

/**
 * `count` 4-minute tracks from the pieces; each has a different (first, middle, last) piece, so
 * every track's audio fingerprint (sampled at the start, middle and end) differs: no cache hits.
 */
function makeTracks(format: 'mp3' | 'flac', count: number, folder: string): string[] {
  const segments = makeSegments(format);
  mkdirSync(folder, { recursive: true });
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const first = n % SEGMENTS;
    const middle = Math.floor(n / SEGMENTS) % SEGMENTS;
    const last = Math.floor(n / (SEGMENTS * SEGMENTS)) % SEGMENTS;
    const order = Array.from({ length: SEGMENTS }, (_, i) => (i === 0 ? first : i === SEGMENTS / 2 ? middle : i === SEGMENTS - 1 ? last : (n + i) % SEGMENTS));
    const list = join(root, `list-${format}-${n}.txt`);
    writeFileSync(list, order.map((i) => `file '${segments[i]}'`).join('\n'));
    const path = join(folder, `${format}-${String(n).padStart(4, '0')}.${format}`);
    ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', path]);
    out.push(path);
  }
  return out;
}

/** A scanned library database for `folder`, kept as a template that each run copies. */
async function scannedDb(folder: string, name: string): Promise<string> {
  const path = join(root, `${name}.db`);
  const db = openLibraryDb(path);
  const summary = await scanFolders(db, [folder]);
  if (summary.errors > 0) throw new Error(`scan of ${folder}: ${summary.errors} errors`);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  return path;
}

/** CPU seconds used so far by this process (all threads) and by its finished children (the ffmpeg decoders): Linux /proc. */
function cpuSeconds(): { own: number; decoders: number } | null {
  const own = process.cpuUsage();
  let decoders: number;
  try {
    // Fields 16 and 17 of /proc/self/stat (after the parenthesised name): cutime, cstime in clock ticks (100 Hz on Linux).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    decoders = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
  return { own: (own.user + own.system) / 1e6, decoders };
}

interface Measured {
  status: RunStatus;
  wallSec: number;
  /** CPU seconds the analysis used (workers, main thread, decoder processes); null off Linux. */
  cpuSec: number | null;
  /** Of which the decoder processes. */
  decoderCpuSec: number | null;
  /** Mean stage times per track (ms), from what the workers measured. */
  stages: { decodeMs: number; logMelMs: number; convMs: number; landscapeMs: number; restMs: number };
}

let runNo = 0;
async function measureRun(template: string, jobs: number, opts: { pictures: boolean; init?: WorkerInit }): Promise<Measured> {
  const path = join(root, `run-${runNo++}.db`);
  copyFileSync(template, path);
  const db = openLibraryDb(path);
  try {
    const pool = new AnalysisPool({ size: jobs, spawn: workerThreads({ init: opts.init ?? {} }), jobTimeoutMs: 600_000 });
    const run = new AnalysisRun(db, pool, () => {}, { display: opts.pictures });
    await run.prepare();
    // Time the analysis only: wait until every worker has its model.
    while (pool.stats().some((w) => w.state === 'starting')) await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    const cpu0 = cpuSeconds();
    const status = await run.execute();
    const wallSec = (performance.now() - t0) / 1000;
    const cpu1 = cpuSeconds();
    const cpuSec = cpu0 === null || cpu1 === null ? null : cpu1.own + cpu1.decoders - cpu0.own - cpu0.decoders;
    const decoderCpuSec = cpu0 === null || cpu1 === null ? null : cpu1.decoders - cpu0.decoders;
    const rows = db.all<{ timing_json: string }>('SELECT timing_json FROM analyses');
    const stages = { decodeMs: 0, logMelMs: 0, convMs: 0, landscapeMs: 0, restMs: 0 };
    for (const r of rows) {
      const t = JSON.parse(r.timing_json) as typeof stages;
      for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k] += t[k] / rows.length;
    }
    if (status.errors > 0) console.error(`  (${status.errors} tracks failed: ${status.failures[0]?.message})`);
    return { status, wallSec, cpuSec, decoderCpuSec, stages };
  } finally {
    db.close();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const rate = (m: Measured) => m.status.analysed / m.wallSec;
const perCpu = (m: Measured) => (m.cpuSec ? `${fmt(m.status.analysed / m.cpuSec, 2)} tracks per CPU-s` : '-');
const cpuRatio = (a: Measured, b: Measured) => (a.cpuSec && b.cpuSec ? fmt(a.status.analysed / a.cpuSec / (b.status.analysed / b.cpuSec), 2) : '-');

/**
 * Whole PCNN analysis against decode + the network without the landscape branch (the FCN), track
 * by track in turn on two single-worker pools, so both see the same machine load.
 */
async function pairedAgainstFcn(files: string[]): Promise<{ pcnnMs: number; fcnMs: number }> {
  const pcnn = new AnalysisPool({ size: 1, spawn: workerThreads(), jobTimeoutMs: 600_000 });
  const fcn = new AnalysisPool({ size: 1, spawn: workerThreads({ init: { architecture: 'fcn' } }), jobTimeoutMs: 600_000 });
  await Promise.all([pcnn.start(), fcn.start()]);
  let pcnnMs = 0;
  let fcnMs = 0;
  for (const file of files) {
    for (const [pool, add] of [
      [pcnn, (ms: number) => (pcnnMs += ms)],
      [fcn, (ms: number) => (fcnMs += ms)],
    ] as const) {
      const t0 = performance.now();
      const o = await pool.submit(file, { display: false }).outcome;
      if (o.status !== 'done') throw new Error(`${file}: ${o.status}`);
      add(performance.now() - t0);
    }
  }
  await Promise.all([pcnn.close(), fcn.close()]);
  return { pcnnMs: pcnnMs / files.length, fcnMs: fcnMs / files.length };
}

async function memoryCheck(): Promise<Row[]> {
  const clip = join(root, 'memory-clip.mp3');
  ffmpeg(['-f', 'lavfi', '-i', 'aevalsrc=0.3*sin(330*2*PI*t)+0.1*(random(1)-0.5):s=44100:d=20', ...codec.mp3, clip]);
  const pool = new AnalysisPool({ size: 1, spawn: workerThreads(), jobTimeoutMs: 120_000 });
  await pool.start();
  const marks = new Map<number, { rss: number; tensors: number | null; heap: number }>();
  const t0 = performance.now();
  for (let i = 1; i <= MEMORY_TRACKS; i++) {
    const o = await pool.submit(clip, { display: true }).outcome;
    if (o.status !== 'done') throw new Error(`memory run: track ${i} ${o.status}`);
    if (i === 100 || i === MEMORY_TRACKS) marks.set(i, { rss: o.memory.rss, tensors: o.memory.tensors, heap: o.memory.heapUsed });
  }
  const sec = (performance.now() - t0) / 1000;
  await pool.close();
  const a = marks.get(100)!;
  const b = marks.get(MEMORY_TRACKS)!;
  const mb = (n: number) => `${fmt(n / 2 ** 20)} MB`;
  return [
    { benchmark: `memory: RSS after ${MEMORY_TRACKS} tracks vs after 100 (target ≤ 1.10)`, betti: mb(b.rss), reference: mb(a.rss), ratio: fmt(b.rss / a.rss, 3) },
    { benchmark: `memory: JS heap after ${MEMORY_TRACKS} vs 100`, betti: mb(b.heap), reference: mb(a.heap), ratio: fmt(b.heap / a.heap, 3) },
    { benchmark: `memory: live tfjs tensors after ${MEMORY_TRACKS} vs 100`, betti: String(b.tensors), reference: String(a.tensors), ratio: b.tensors !== null && a.tensors ? fmt(b.tensors / a.tensors, 2) : '-' },
    { benchmark: `memory run: 20-s clips with pictures, 1 worker`, betti: `${fmt(MEMORY_TRACKS / sec)} tracks/s`, reference: '-', ratio: '-' },
  ];
}

console.log(`bench analysis: ${TRACKS} generated ${TRACK_SECONDS / 60}-minute tracks (half mp3 192k, half flac), ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'})`);
const half = Math.max(1, Math.floor(TRACKS / 2));
let t = performance.now();
const mp3Files = makeTracks('mp3', half, join(root, 'music', 'mp3'));
makeTracks('flac', TRACKS - half, join(root, 'music', 'flac'));
const pictureFolder = join(root, 'music', 'pictures');
mkdirSync(pictureFolder, { recursive: true });
for (let i = 0; i < Math.min(PICTURE_TRACKS, half); i++) copyFileSync(join(root, 'music', 'mp3', `mp3-${String(i).padStart(4, '0')}.mp3`), join(pictureFolder, `p-${i}.mp3`));
const mp3Db = await scannedDb(join(root, 'music', 'mp3'), 'mp3');
const flacDb = await scannedDb(join(root, 'music', 'flac'), 'flac');
const picturesDb = await scannedDb(pictureFolder, 'pictures');
console.log(`generated and scanned in ${fmt((performance.now() - t) / 1000)} s\n`);

t = performance.now();
const mp3One = await measureRun(mp3Db, 1, { pictures: false });
const mp3Two = await measureRun(mp3Db, 2, { pictures: false });
const flacOne = await measureRun(flacDb, 1, { pictures: false });
const flacTwo = await measureRun(flacDb, 2, { pictures: false });
const fcnOne = await measureRun(mp3Db, 1, { pictures: false, init: { architecture: 'fcn' } });
const picOne = await measureRun(picturesDb, 1, { pictures: true });
const paired = await pairedAgainstFcn(mp3Files.slice(0, PICTURE_TRACKS));

const rows: Row[] = [
  { benchmark: `mp3, 1 worker, default windows, no pictures (target ≥ 5/s per core)`, betti: `${fmt(rate(mp3One), 2)} tracks/s`, reference: perCpu(mp3One), ratio: fmt(rate(mp3One) / 5, 2) },
  { benchmark: `mp3, 2 workers vs 1 (target ≥ 1.7)`, betti: `${fmt(rate(mp3Two), 2)} tracks/s`, reference: `${fmt(rate(mp3One), 2)} tracks/s`, ratio: fmt(rate(mp3Two) / rate(mp3One), 2) },
  // Work per track with 2 workers against 1: ≈ 1 when the pool adds no coordination cost, so the
  // wall-clock ratio above is what the machine's spare cores allow (see "cores kept busy").
  { benchmark: `mp3, 2 workers vs 1, tracks per CPU-second`, betti: perCpu(mp3Two), reference: perCpu(mp3One), ratio: cpuRatio(mp3Two, mp3One) },
  { benchmark: `flac, 1 worker, no pictures`, betti: `${fmt(rate(flacOne), 2)} tracks/s`, reference: perCpu(flacOne), ratio: fmt(rate(flacOne) / 5, 2) },
  { benchmark: `flac, 2 workers vs 1 (target ≥ 1.7)`, betti: `${fmt(rate(flacTwo), 2)} tracks/s`, reference: `${fmt(rate(flacOne), 2)} tracks/s`, ratio: fmt(rate(flacTwo) / rate(flacOne), 2) },
  { benchmark: `flac, 2 workers vs 1, tracks per CPU-second`, betti: perCpu(flacTwo), reference: perCpu(flacOne), ratio: cpuRatio(flacTwo, flacOne) },
  // How many cores one worker keeps busy (its thread, its ffmpeg runs, V8's helper threads and
  // the main thread): 2 workers on a machine of C cores can go at most C ÷ that times faster.
  {
    benchmark: `mp3, 1 worker: CPU ms per track (decoder processes + Betti's threads), cores kept busy`,
    betti: mp3One.cpuSec === null ? '-' : `${fmt((mp3One.cpuSec * 1000) / mp3One.status.analysed)} ms (${fmt(((mp3One.decoderCpuSec ?? 0) * 1000) / mp3One.status.analysed)} + ${fmt(((mp3One.cpuSec - (mp3One.decoderCpuSec ?? 0)) * 1000) / mp3One.status.analysed)})`,
    reference: mp3One.cpuSec === null ? '-' : `${fmt(mp3One.cpuSec / mp3One.wallSec, 2)} cores busy`,
    ratio: mp3One.cpuSec === null ? '-' : `2-worker ceiling ${fmt(Math.min(2, Math.min(2, availableParallelism()) / (mp3One.cpuSec / mp3One.wallSec)), 2)}`,
  },
  {
    benchmark: `mp3, 1 worker, with pictures (decodes only the windows) vs without`,
    betti: `${fmt(rate(picOne), 2)} tracks/s`,
    reference: `${fmt(rate(mp3One), 2)} tracks/s`,
    ratio: fmt(rate(picOne) / rate(mp3One), 2),
  },
];
for (const [label, m] of [
  ['mp3 PCNN', mp3One],
  ['flac PCNN', flacOne],
  ['mp3 PCNN + pictures', picOne],
  ['mp3 FCN (no landscape branch)', fcnOne],
] as const) {
  const s = m.stages;
  const stageSum = s.decodeMs + s.logMelMs + s.convMs + s.landscapeMs + s.restMs;
  const perTrack = (m.wallSec * 1000) / Math.max(1, m.status.analysed);
  rows.push({
    benchmark: `${label}: ms per track decode / log-mel / conv / landscape / rest`,
    betti: `${fmt(s.decodeMs)} / ${fmt(s.logMelMs)} / ${fmt(s.convMs)} / ${fmt(s.landscapeMs)} / ${fmt(s.restMs)}`,
    reference: `wall ${fmt(perTrack)} ms/track`,
    ratio: `stages ${fmt((stageSum / perTrack) * 100, 0)} % of wall`,
  });
}
const landscapeShare = (m: Measured) => (m.stages.landscapeMs / ((m.wallSec * 1000) / Math.max(1, m.status.analysed))) * 100;
rows.push(
  { benchmark: 'landscape layer share of whole analysis, mp3 (target ≤ 10 %)', betti: `${fmt(landscapeShare(mp3One))} %`, reference: '10 %', ratio: fmt(landscapeShare(mp3One) / 10, 2) },
  { benchmark: 'landscape layer share of whole analysis, flac (target ≤ 10 %)', betti: `${fmt(landscapeShare(flacOne))} %`, reference: '10 %', ratio: fmt(landscapeShare(flacOne) / 10, 2) },
  {
    benchmark: `whole PCNN analysis vs decode + network without landscape branch (FCN), mp3, ${Math.min(PICTURE_TRACKS, mp3Files.length)} tracks in turn`,
    betti: `${fmt(paired.pcnnMs)} ms/track`,
    reference: `${fmt(paired.fcnMs)} ms/track`,
    ratio: fmt(paired.pcnnMs / paired.fcnMs, 2),
  },
);
console.log(`analysis runs took ${fmt((performance.now() - t) / 1000)} s\n`);
rows.push(...(await memoryCheck()));
console.log(formatTable(rows));
