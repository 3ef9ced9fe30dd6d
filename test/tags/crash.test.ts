// The crash test (issue 6): a process writing tags (the real transaction, journal included) is
// killed with SIGKILL at random moments, again and again, until at least 1,000 writes have been
// made across every format. After each kill the file that was being written must read as the
// old file or the new one (its tags exactly one of the two, its decoded audio unchanged), never
// anything else; and after the next start (which runs recovery) no temporary file may be left.
// The counts are printed as a test diagnostic. BETTI_CRASH_WRITES sets the number of writes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tagFormats } from '../../src-main/tags/fields.ts';
import { tempDir } from '../helpers/tmp.ts';
import { copyOf, makeAudioFile } from './helpers/fixtures.ts';
import { decodedMd5, mutagenRead, mutagenValues, type MutagenDump } from './helpers/readers.ts';
import { seededRandom } from '../helpers/random.ts';

const WRITER = fileURLToPath(new URL('./helpers/crash-writer.ts', import.meta.url));
const TARGET_WRITES = Number(process.env.BETTI_CRASH_WRITES ?? 1000);
// Kill delays after the writer is ready: squared uniform up to this, so most runs are short (many
// kills) and some long (many writes between kills).
const MAX_KILL_DELAY_MS = 1200;


const tempFiles = (dir: string) => readdirSync(dir).filter((n) => n.includes('.betti-tmp-'));

/** Everything mutagen reads except the field the crash test rewrites. */
function rest(d: MutagenDump): unknown {
  // Key order is the writer's business (Vorbis comments may be reordered); the values are not.
  const tags = Object.fromEntries(
    Object.entries(d.tags)
      .filter(([k]) => !/BETTI_TAGS/i.test(k))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return { id3: d.id3, tags };
}

interface RunOutcome {
  ready: { swept: number; written: number; notWritten: number } | undefined;
  inflight: { index: number; value: string } | undefined;
  completed: { index: number; value: string; status: string; message: string }[];
  next: number;
}

/** Starts the writer and kills it `delayMs` after it is ready; with start "recover" it only recovers and exits. */
function runAndKill(db: string, files: string[], start: number | 'recover', delayMs: number): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, db, JSON.stringify(files), String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: RunOutcome = { ready: undefined, inflight: undefined, completed: [], next: typeof start === 'number' ? start : 0 };
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const [word, a, b, ...more] = line.split(' ');
      if (word === 'ready') {
        out.ready = JSON.parse(line.slice(6)) as RunOutcome['ready'];
        if (start !== 'recover') setTimeout(() => child.kill('SIGKILL'), Math.max(0, delayMs));
      } else if (word === 'begin') {
        out.inflight = { index: Number(a), value: b! };
        out.next = Number(b!.slice(1)) + 1;
      } else if (word === 'end') {
        out.completed.push({ index: Number(a), value: out.inflight!.value, status: b!, message: more.join(' ') });
        out.inflight = undefined;
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      lines.close();
      if (signal !== 'SIGKILL' && !(start === 'recover' && code === 0)) reject(new Error(`the writer exited by itself (${code}): ${stderr}`));
      else resolve(out);
    });
  });
}

describe('a tag write killed at random moments', () => {
  it(`leaves each file old or new over ${TARGET_WRITES} writes in every format, and no temporary file after the next start`, { timeout: 15 * 60_000 }, async (t) => {
    const dir = tempDir(t);
    const seed = Number(process.env.BETTI_CRASH_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const files: string[] = [];
    for (const format of tagFormats) {
      const master = makeAudioFile(dir, `master-${format}`, format, { title: 'Crash test', genre: 'Rock', seconds: 0.3 });
      files.push(copyOf(master, dir, `a-${format}`), copyOf(master, dir, `b-${format}`));
    }
    const initial = mutagenRead(files);
    const audio = new Map(files.map((f) => [f, decodedMd5(f)]));
    const committed = new Map<string, string[]>(files.map((f) => [f, []]));
    const db = join(dir, 'journal.db');
    const stats = { seed, kills: 0, killedMidWrite: 0, writes: 0, completed: 0, interrupted: 0, oldState: 0, newState: 0, other: 0, tempFilesAtKill: 0, sweptAtStart: 0, leftAfterStart: 0, failedWrites: 0 };
    const problems: string[] = [];
    const formatOf = (f: string) => tagFormats.find((x) => f.endsWith(`.${x}`))!;

    let next = 0;
    while (stats.writes < TARGET_WRITES) {
      const out = await runAndKill(db, files, next, random() ** 2 * MAX_KILL_DELAY_MS);
      stats.kills++;
      if (!out.ready) throw new Error('the writer was killed before it was ready');
      stats.sweptAtStart += out.ready.swept;
      next = out.next;
      for (const c of out.completed) {
        stats.writes++;
        if (c.status === 'ok') {
          stats.completed++;
          committed.set(files[c.index]!, [c.value]);
        } else {
          stats.failedWrites++;
          problems.push(`write ${c.value} of ${files[c.index]} failed: ${c.message}`);
        }
      }
      stats.tempFilesAtKill += tempFiles(dir).length;
      const now = mutagenRead(files);
      for (const f of files) {
        const values = mutagenValues(now[f]!, formatOf(f), 'BETTI_TAGS', '2.4');
        const old = committed.get(f)!;
        const inflight = out.inflight && files[out.inflight.index] === f ? [out.inflight.value] : undefined;
        const same = (a: string[], b: string[] | undefined) => b !== undefined && JSON.stringify(a) === JSON.stringify(b);
        if (inflight) {
          stats.writes++;
          stats.interrupted++;
          stats.killedMidWrite++;
          if (same(values, old)) stats.oldState++;
          else if (same(values, inflight)) {
            stats.newState++;
            committed.set(f, inflight);
          } else {
            stats.other++;
            problems.push(`${f} reads ${JSON.stringify(values)} after a kill; expected ${JSON.stringify(old)} or ${JSON.stringify(inflight)}`);
          }
          if (decodedMd5(f) !== audio.get(f)) problems.push(`${f}: the decoded audio changed`);
        } else if (!same(values, old)) {
          stats.other++;
          problems.push(`${f} reads ${JSON.stringify(values)}, expected ${JSON.stringify(old)} (no write was in flight)`);
        }
        if (JSON.stringify(rest(now[f]!)) !== JSON.stringify(rest(initial[f]!))) problems.push(`${f}: tags other than BETTI_TAGS changed`);
      }
      if (problems.length > 0) break;
    }
    // The next start: recovery runs, then no temporary copy may be left anywhere.
    const last = await runAndKill(db, files, 'recover', 0);
    stats.sweptAtStart += last.ready?.swept ?? 0;
    stats.leftAfterStart = tempFiles(dir).length;
    for (const f of files) if (decodedMd5(f) !== audio.get(f)) problems.push(`${f}: the decoded audio changed`);

    t.diagnostic(`crash test counts: ${JSON.stringify(stats)}`);
    process.stderr.write(`betti crash test: ${JSON.stringify(stats)}\n`);
    assert.deepEqual(problems, [], `seed ${seed}`);
    assert.equal(stats.other, 0);
    assert.equal(stats.leftAfterStart, 0, 'no temporary file after the next start');
    assert.ok(stats.writes >= TARGET_WRITES);
    assert.ok(stats.killedMidWrite > 0, 'some kills landed in the middle of a write');
    assert.equal(stats.oldState + stats.newState, stats.killedMidWrite);
  });
});
