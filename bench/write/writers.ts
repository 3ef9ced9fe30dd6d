// `npm run bench -- write --writers`: the measurement behind Betti's choice of tag writer
// (src-main/tags/writer.ts). For each format, node-taglib-sharp (through Betti's writer) and
// taglib-wasm (through its PropertyMap API, which maps GENRE/MOOD/custom names to each format's
// fields the way TagLib does) write the same multi-valued Unicode fields to copies of the same
// file. Correctness is read back by the independent readers of the tests (python3-mutagen and
// exiftool), plus: audio payload byte-identical, no ID3v1 tag created, RIFF INFO left alone,
// ID3v2.3 available. Speed is the in-place write time per file. Prints a table.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashAudioPayload } from '../../src-main/library/audio-payload.ts';
import { tagFormats, type TagFormat } from '../../src-main/tags/fields.ts';
import { createTagWriter } from '../../src-main/tags/writer.ts';
import { exiftoolRead, exiftoolView, mutagenRead, mutagenValues } from '../../test/tags/helpers/readers.ts';
import { makeMaster } from './fixtures.ts';

const FIELDS: Record<string, string[]> = { GENRE: ['Ambient', 'Jazz'], MOOD: ['calm', 'dark\nnight'], BETTI_TAGS: ['piano', 'slow', 'שלום', '🎹'] };
const SPEED_RUNS = 20;

interface Candidate {
  name: string;
  /** Writes FIELDS into the file in place; id3 '2.3' may be unsupported (returns false). */
  write(path: string, format: TagFormat, id3: '2.3' | '2.4'): Promise<boolean>;
}

async function candidates(): Promise<Candidate[]> {
  const betti = createTagWriter();
  const { TagLib } = await import('taglib-wasm');
  const taglib = await TagLib.initialize();
  return [
    {
      name: 'node-taglib-sharp',
      async write(path, format, id3) {
        const writes = Object.entries(FIELDS).map(([field, values]) => ({ field, values: id3 === '2.3' ? values.filter((v) => !/\p{Extended_Pictographic}/u.test(v)) : values }));
        await betti.write({ path, format, writes, id3Version: id3, separator: '; ' });
        return true;
      },
    },
    {
      name: `taglib-wasm ${taglib.version()}`,
      async write(path, _format, id3) {
        if (id3 === '2.3') return false; // its save() always writes ID3v2.4: no version option
        const f = await taglib.open(path);
        try {
          const props = f.properties();
          for (const [k, v] of Object.entries(FIELDS)) props[k] = v;
          f.setProperties(props);
          await f.saveToFile();
        } finally {
          f.dispose();
        }
        return true;
      },
    },
  ];
}

function hasId3v1(path: string): boolean {
  const b = readFileSync(path);
  return b.length >= 128 && b.subarray(b.length - 128, b.length - 125).toString('latin1') === 'TAG';
}

async function check(path: string, master: string, format: TagFormat, id3: '2.3' | '2.4'): Promise<string[]> {
  const problems: string[] = [];
  const m = mutagenRead([path])[path]!;
  const x = exiftoolRead([path])[path] ?? {};
  for (const [field, all] of Object.entries(FIELDS)) {
    const values = id3 === '2.3' ? all.filter((v) => !/\p{Extended_Pictographic}/u.test(v)) : all;
    const got = mutagenValues(m, format, field, id3);
    if (JSON.stringify(got) !== JSON.stringify(values)) problems.push(`mutagen ${field}=${JSON.stringify(got)}`);
    const view = exiftoolView(x, format, field, id3, values);
    // exiftool shows one MP4 freeform atom holding several data atoms (the layout TagLib and
    // mutagen write) as one comma-joined value; Betti writes one atom per value. Both are valid.
    const same = format === 'm4a' ? view.got.join(',') === view.want.join(',') : JSON.stringify(view.got) === JSON.stringify(view.want);
    if (!same) problems.push(`exiftool ${field}=${JSON.stringify(view.got)}`);
  }
  if ((await hashAudioPayload(path, 'full')) !== (await hashAudioPayload(master, 'full'))) problems.push('audio changed');
  if (hasId3v1(path) && !hasId3v1(master)) problems.push('created an ID3v1 tag');
  if (format === 'wav' && JSON.stringify(x['RIFF:Genre']) !== JSON.stringify(exiftoolRead([master])[master]?.['RIFF:Genre'])) problems.push('rewrote RIFF INFO');
  if (m.id3 && format !== 'm4a' && m.id3[1] !== Number(id3.slice(2))) problems.push(`wrote ID3v2.${m.id3[1]}`);
  return problems;
}

export async function compareWriters(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'betti-bench-writers-'));
  try {
    const writers = await candidates();
    console.log(`tag writers: correctness (read back by mutagen and exiftool) and in-place write time, ${SPEED_RUNS} writes per cell`);
    console.log('');
    console.log(`${'format'.padEnd(10)}${writers.map((w) => w.name.padEnd(44)).join('')}`);
    const totals = writers.map(() => ({ ms: 0, n: 0 }));
    for (const format of tagFormats) {
      const master = makeMaster(dir, format);
      for (const id3 of format === 'mp3' ? (['2.4', '2.3'] as const) : (['2.4'] as const)) {
        const cells: string[] = [];
        for (const [wi, w] of writers.entries()) {
          const copy = join(dir, `${w.name.replace(/\W/g, '')}-${id3}.${format}`);
          copyFileSync(master, copy);
          if (!(await w.write(copy, format, id3))) {
            cells.push('cannot write ID3v2.3'.padEnd(44));
            continue;
          }
          const problems = await check(copy, master, format, id3);
          let ms = 0;
          for (let i = 0; i < SPEED_RUNS; i++) {
            copyFileSync(master, copy);
            const t0 = performance.now();
            await w.write(copy, format, id3);
            ms += performance.now() - t0;
          }
          totals[wi]!.ms += ms;
          totals[wi]!.n += SPEED_RUNS;
          const verdict = problems.length ? `FAIL: ${problems.join('; ')}` : 'ok';
          cells.push(`${(ms / SPEED_RUNS).toFixed(1).padStart(6)} ms  ${verdict}`.padEnd(44));
        }
        console.log(`${(format === 'mp3' ? `mp3 v${id3}` : format).padEnd(10)}${cells.join('')}`);
      }
    }
    const ref = totals[0]!.ms / totals[0]!.n;
    console.log(`${'mean'.padEnd(10)}${totals.map((t) => `${(t.ms / t.n).toFixed(1).padStart(6)} ms  (${(t.ms / t.n / ref).toFixed(2)}× node-taglib-sharp)`.padEnd(44)).join('')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
