// `npm run bench -- write [--files N] [--writers]`
// Files per second for Betti's apply (the whole transaction: state check, read, temporary copy,
// write, fsync, verification by an independent parse and a full audio hash, atomic rename,
// journal) against python3-mutagen writing the same fields in place (no copy, no verification),
// on the same generated files in the same run. `--writers` instead compares the two TagLib-based
// writers Betti could use (writers.ts). Prints tables; asserts nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../../src-main/api/context.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';
import { tagFormats } from '../../src-main/tags/fields.ts';
import { createTagWriter } from '../../src-main/tags/writer.ts';
import { makeMaster } from './fixtures.ts';
import { compareWriters } from './writers.ts';

const args = process.argv.slice(2);
const perFormat = Number(args[args.indexOf('--files') + 1] ?? 0) || 40;
const FIELDS = { GENRE: ['Ambient', 'Jazz'], MOOD: ['calm'], BETTI_TAGS: ['piano', 'slow', 'שלום'] };

function copies(master: string, dir: string, n: number): string[] {
  mkdirSync(dir, { recursive: true });
  const ext = master.slice(master.lastIndexOf('.'));
  return Array.from({ length: n }, (_, i) => {
    const p = join(dir, `t${i}${ext}`);
    copyFileSync(master, p);
    return p;
  });
}

function mutagenWrite(files: string[]): number {
  const script = fileURLToPath(new URL('./mutagen_write.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script], { input: JSON.stringify({ files, fields: FIELDS }), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mutagen_write.py: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { seconds: number }).seconds;
}

async function main(): Promise<void> {
  if (args.includes('--writers')) {
    await compareWriters();
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'betti-bench-write-'));
  try {
    const bus = new EventBus();
    const context = createContext({ dbPath: join(root, 'bench.db'), bus });
    const client = createDirectClient(createService(context), bus);
    const writer = createTagWriter();
    console.log(`bench/write: ${perFormat} files per format (10 s stereo tracks), fields ${JSON.stringify(FIELDS)}`);
    console.log('');
    console.log('format  betti apply files/s  writer only files/s  mutagen files/s  betti / mutagen');
    const totals = { betti: 0, writer: 0, mutagen: 0, files: 0 };
    for (const format of tagFormats) {
      const master = makeMaster(root, format);
      const forBetti = copies(master, join(root, format, 'betti'), perFormat);
      const forWriter = copies(master, join(root, format, 'writer'), perFormat);
      const forMutagen = copies(master, join(root, format, 'mutagen'), perFormat);
      // Warm up module loading and the JIT outside the timings.
      await client['write.preview']({ plan: { files: [{ path: forBetti[0]!, set: FIELDS }] } });
      let t0 = performance.now();
      const r = await client['write.apply']({ plan: { files: forBetti.map((path) => ({ path, set: FIELDS })) } });
      const betti = (performance.now() - t0) / 1000;
      if (r.summary.failed > 0) throw new Error(`betti failed on ${format}: ${JSON.stringify(r.results.find((x) => x.status === 'failed')?.error)}`);
      t0 = performance.now();
      for (const path of forWriter) {
        await writer.write({ path, format, writes: Object.entries(FIELDS).map(([field, values]) => ({ field, values })), id3Version: '2.4', separator: '; ' });
      }
      const writerOnly = (performance.now() - t0) / 1000;
      const mutagen = mutagenWrite(forMutagen);
      totals.betti += betti;
      totals.writer += writerOnly;
      totals.mutagen += mutagen;
      totals.files += perFormat;
      const rate = (s: number) => (perFormat / s).toFixed(1).padStart(8);
      console.log(`${format.padEnd(6)}  ${rate(betti).padStart(19)}  ${rate(writerOnly).padStart(19)}  ${rate(mutagen).padStart(15)}  ${(mutagen / betti).toFixed(2).padStart(15)}×`);
    }
    const rate = (s: number) => (totals.files / s).toFixed(1).padStart(8);
    console.log(`${'all'.padEnd(6)}  ${rate(totals.betti).padStart(19)}  ${rate(totals.writer).padStart(19)}  ${rate(totals.mutagen).padStart(15)}  ${(totals.mutagen / totals.betti).toFixed(2).padStart(15)}×`);
    console.log('');
    console.log('betti apply: state check, read, temp copy, write, fsync, verification (fresh parse + full audio hash), rename, journal.');
    console.log('writer only: node-taglib-sharp writing in place, no safety steps. mutagen: in place, no copy, no verification.');
    context.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
