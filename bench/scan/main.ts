// bench/scan: cold scan and warm rescan of a generated library, against a mutagen-based reader
// of the same fields measured in the same run. Two views of each run: the wall-clock time of the
// whole process (`betti scan`, `python3 mutagen_reader.py`, start-up included) and the time of the
// scan inside it (Betti's own durationMs; the reader's own timer after its imports). Medians of
// --repeat runs, the runs of the two readers interleaved so machine load hits both alike. The CPU
// time of each whole process (every thread) is measured too (cpu_time.py): on a busy machine it is
// the steadier comparison, and it shows what using more than one core buys.
//
// Below the table, the floor of a warm rescan on this machine: a fresh Node process that only lists
// the folders and stats every entry (bare_walk.js), timed the same way, so the warm rescan's
// distance from what a rescan that lists and stats everything must pay is in the same run.
//
// The library of --sizes is of one-second files (read whole, from memory). A second library of
// --real files (default 400, 0: none) is of real-sized ones: three-minute MP3 (with cover art),
// M4A, Ogg Vorbis and Opus, and one-minute FLAC, a few megabytes each, which the scan reads
// through its cached file source instead.
//
// A third table: scans of a few hundred new files (albums added to a library: --added N,…, taken
// whole album folders from each library), with the default rule for starting read workers (from
// 500 files to read) against workers started from the first file, each in a fresh process.
//
//   npm run bench -- scan [--sizes 5000,10000] [--real 400] [--added 100,400] [--repeat 3] [--keep]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpeg } from '../../test/helpers/ffmpeg-fixtures.ts';
import { encode, fixtureFormats } from '../../test/helpers/library-fixtures.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const betti = fileURLToPath(new URL('../../src-main/cli/betti.js', import.meta.url));

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const sizes = option('sizes', '5000,10000')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const repeat = Math.max(1, Number(option('repeat', '3')) || 3);
const real = Math.max(0, Math.floor(Number(option('real', '400')) || 0));
const keep = process.argv.includes('--keep');
const added = option('added', '100,400')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const PART = 1000; // files per part<k> folder (see make_library.py)

const cpuTime = join(here, 'cpu_time.py');
const scanOnce = join(here, 'scan_once.ts');

/** Runs a process; its wall-clock and CPU milliseconds as cpu_time.py measured them, and its stdout. */
function timed(cmd: string, args: string[]): { ms: number; cpuMs: number; stdout: string } {
  const r = spawnSync('/usr/bin/python3', [cpuTime, cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const report = /cpu_time wall=([\d.]+) cpu=([\d.]+)\s*$/.exec(r.stderr);
  if (!report) throw new Error(`cpu_time.py gave no report for ${cmd}: ${r.stderr.slice(-500)}`);
  return { ms: Number(report[1]) * 1000, cpuMs: Number(report[2]) * 1000, stdout: r.stdout };
}

/** Removes a library database with its WAL files, for the next cold scan. */
function removeDb(db: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface ScanSummary {
  durationMs: number;
  scanned: number;
  new: number;
  unchanged: number;
  errors: number;
}

const floors: string[] = [];

/** Cold scan, mutagen and warm rescan of `roots` (`n` audio files), --repeat times: a row per view. */
function measure(label: string, n: number, roots: string[]): string[][] {
  const floor: number[] = [];
  const cold: number[] = [];
  const reference: number[] = [];
  const warm: number[] = [];
  const coldInside: number[] = [];
  const referenceInside: number[] = [];
  const warmInside: number[] = [];
  const coldApp: number[] = [];
  const warmApp: number[] = [];
  const coldCpu: number[] = [];
  const referenceCpu: number[] = [];
  const warmCpu: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const db = join(work, `bench-${n}-${r}.db`);
    const ref = timed('/usr/bin/python3', [join(here, 'mutagen_reader.py'), ...roots]);
    const [readByMutagen, , seconds] = ref.stdout.trim().split(' ').map(Number);
    if (readByMutagen !== n) throw new Error(`the mutagen reader read ${readByMutagen} files, expected ${n}`);
    reference.push(ref.ms);
    referenceInside.push(seconds! * 1000);
    referenceCpu.push(ref.cpuMs);
    const c = timed(process.execPath, [betti, '--db', db, 'scan', ...roots, '--json']);
    const cs = JSON.parse(c.stdout) as ScanSummary;
    if (cs.new !== n || cs.errors !== 0) throw new Error(`cold scan found new ${cs.new}, errors ${cs.errors}; expected ${n} new`);
    cold.push(c.ms);
    coldInside.push(cs.durationMs);
    coldCpu.push(c.cpuMs);
    const w = timed(process.execPath, [betti, '--db', db, 'scan', ...roots, '--json']);
    const ws = JSON.parse(w.stdout) as ScanSummary;
    if (ws.unchanged !== n) throw new Error(`warm rescan found ${ws.unchanged} unchanged, expected ${n}`);
    warm.push(w.ms);
    warmInside.push(ws.durationMs);
    warmCpu.push(w.cpuMs);
    // The app's view: the cold scan and the rescan in one process (scan_once.ts --rescan).
    removeDb(db);
    const [appCold, appWarm] = timed(process.execPath, [scanOnce, db, '--rescan', ...roots])
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ScanSummary);
    if (appCold?.new !== n || appWarm?.unchanged !== n) throw new Error(`the one-process scans found new ${appCold?.new}, then unchanged ${appWarm?.unchanged}; expected ${n}`);
    coldApp.push(appCold.durationMs);
    warmApp.push(appWarm.durationMs);
    const bare = timed(process.execPath, [join(here, 'bare_walk.js'), ...roots]);
    const [walked, walkMs] = bare.stdout.trim().split(' ').map(Number);
    if (walked !== n) throw new Error(`the bare walk found ${walked} files, expected ${n}`);
    floor.push(walkMs!);
    removeDb(db);
  }
  const f = median(floor);
  floors.push(
    `${label} files: a bare Node walk (readdir + stat of every entry, nothing else) takes ${(f / 1000).toFixed(3)} s, the warm rescan ${(median(warmInside) / f).toFixed(2)}× that; ` +
      `cold ÷ bare walk = ${(median(coldInside) / f).toFixed(1)}×: the most cold ÷ warm a rescan that lists every folder and stats every file could show in this run.`,
  );
  return (
    [
      ['whole process', median(cold), median(reference), median(warm)],
      ['scan only', median(coldInside), median(referenceInside), median(warmInside)],
      ['scan only, one process', median(coldApp), median(referenceInside), median(warmApp)],
      ['CPU, whole process', median(coldCpu), median(referenceCpu), median(warmCpu)],
    ] as const
  ).map(([view, c, m, w]) => [
    label,
    view,
    (n / (c / 1000)).toFixed(0),
    (n / (m / 1000)).toFixed(0),
    `${(m / c).toFixed(2)}×`,
    (c / 1000).toFixed(2),
    (w / 1000).toFixed(3), // a rescan of 5,000 files takes tens of milliseconds
    `${(c / w).toFixed(1)}×`,
  ]);
}

/** The album folders (10 files each, see make_library.py) of a generated library, in order. */
function albumFolders(lib: string): string[] {
  const below = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name)).sort();
  return below(lib).flatMap(below).flatMap(below);
}

/** Cold scans of `n` files taken as whole albums from `lib`, default rule vs workers from the first file: a row per n. */
function measureAdded(label: string, lib: string, files: number): string[][] {
  const albums = albumFolders(lib);
  const rows: string[][] = [];
  for (const n of added) {
    if (n > files) continue;
    const roots = albums.slice(0, Math.ceil(n / 10));
    const runs: Record<'default' | 'first', number[]> = { default: [], first: [] };
    for (let r = 0; r < repeat; r++) {
      for (const [variant, extra] of [['default', []], ['first', ['--pool-from', '1']]] as const) {
        const db = join(work, `added-${variant}.db`);
        const out = timed(process.execPath, [scanOnce, db, ...extra, ...roots]);
        const summary = JSON.parse(out.stdout) as ScanSummary;
        if (summary.new !== roots.length * 10 || summary.errors !== 0) throw new Error(`the scan of ${n} added files found new ${summary.new}, errors ${summary.errors}`);
        runs[variant].push(summary.durationMs);
        removeDb(db);
      }
    }
    const d = median(runs.default);
    const f = median(runs.first);
    rows.push([label, String(roots.length * 10), (d / 1000).toFixed(3), (f / 1000).toFixed(3), `${(f / d).toFixed(2)}×`]);
  }
  return rows;
}

/** Prints a markdown table, right-aligned. */
function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/**
 * Base files of real sizes: three minutes of a tone mixed with noise (so lossless and VBR codecs
 * do not shrink it to nothing) in MP3 at 192 kbit/s with a 500 × 500 JPEG cover, M4A (AAC) at
 * 256 kbit/s, Ogg Vorbis q5 and Opus at 128 kbit/s; and one minute of FLAC.
 */
function realSizedBases(dir: string): string[] {
  const source = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`, '-f', 'lavfi', '-i', `anoisesrc=d=${seconds}:a=0.05:r=44100`];
  const mix = ['-filter_complex', '[0:a][1:a]amix=inputs=2[a]', '-map', '[a]', '-ac', '2'];
  const out = (name: string) => join(dir, name);
  const cover = out('cover.jpg');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=500x500:rate=1', '-frames:v', '1', cover]);
  const plainMp3 = out('real-plain.mp3');
  ffmpeg([...source(180), ...mix, '-c:a', 'libmp3lame', '-b:a', '192k', plainMp3]);
  ffmpeg(['-i', plainMp3, '-i', cover, '-map', '0:a', '-map', '1:v', '-c', 'copy', '-id3v2_version', '3', '-disposition:v', 'attached_pic', out('real.mp3')]);
  ffmpeg([...source(180), ...mix, '-c:a', 'aac', '-b:a', '256k', out('real.m4a')]);
  ffmpeg([...source(180), ...mix, '-c:a', 'libvorbis', '-q:a', '5', out('real.ogg')]);
  ffmpeg([...source(180), ...mix, '-ar', '48000', '-c:a', 'libopus', '-b:a', '128k', out('real.opus')]);
  ffmpeg([...source(60), ...mix, '-c:a', 'flac', out('real.flac')]);
  return ['mp3', 'm4a', 'ogg', 'opus', 'flac'].map((e) => out(`real.${e}`));
}

const work = mkdtempSync(join(tmpdir(), 'betti-bench-scan-'));
try {
  const largest = Math.max(...sizes);
  console.log(`bench/scan: generating ${largest} files in ${work} …`);
  const bases = ['mp3', 'flac', 'ogg', 'm4a', 'opus'].map((k) => encode(work, `base-${k}`, fixtureFormats[k]!, { seconds: 1 }));
  const lib = join(work, 'library');
  timed('/usr/bin/python3', [join(here, 'make_library.py'), lib, String(largest), ...bases]);

  const rows: string[][] = [];
  const addedRows = measureAdded('one-second', lib, largest);
  for (const n of sizes) {
    // n files = the first n/1000 part folders (each holds 1,000 files).
    const roots = Array.from({ length: Math.ceil(n / PART) }, (_, k) => join(lib, `part${k}`));
    rows.push(...measure(String(n), n, roots));
  }
  if (real > 0) {
    const realLib = join(work, 'real-size');
    console.log(`bench/scan: generating ${real} real-sized files …`);
    timed('/usr/bin/python3', [join(here, 'make_library.py'), realLib, String(real), ...realSizedBases(work)]);
    rows.push(...measure(`${real} real-size`, real, [realLib]));
    addedRows.push(...measureAdded('real-size', realLib, real));
  }

  console.log();
  printTable(['files', 'timed', 'Betti cold files/s', 'mutagen files/s', 'Betti ÷ mutagen', 'Betti cold s', 'Betti warm rescan s', 'cold ÷ warm'], rows);
  console.log();
  console.log(`Median of ${repeat} run(s) each. "whole process": start-up included; "scan only": Betti's durationMs, the reader's own timer;`);
  console.log('"CPU": user + system seconds of the whole process, every thread: files per CPU second, and Betti ÷ mutagen = mutagen\'s CPU over Betti\'s.');
  console.log('Cold = empty database; warm = the same library again, unchanged. Each `betti scan` is a fresh process; "one process": the cold scan and');
  console.log('the rescan in one process, as the app and `betti serve` rescan (their process, its compiled code included, lives on after the first scan).');
  console.log('Floor of the warm rescan ("scan only" view, medians):');
  for (const line of floors) console.log(`  ${line}`);
  console.log(`Machine: ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}.`);
  console.log('Targets (issue 3): Betti ÷ mutagen ≥ 1.0, cold ÷ warm ≥ 20, warm rescan of 10,000 files < 2 s.');
  if (real > 0) console.log('"real-size": three-minute MP3 (with cover art), M4A, Ogg, Opus and one-minute FLAC files, a few MB each (--real N).');
  if (addedRows.length > 0) {
    console.log();
    console.log('Scans of a few new albums (cold, "scan only", a fresh process each, medians): the default rule starts read workers from 500 files to read;');
    console.log('below that the calling thread reads them. Against workers started from the first file:');
    printTable(['files', 'added', 'default s', 'workers from the first file s', 'first file ÷ default'], addedRows);
  }
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
