// The process the crash test kills: on start it runs Betti's recovery (as every start does) and
// reports what it found, then writes forever, one file per batch, through the real transaction
// (applyPlan with the real writer, file system and journal). It announces each write on stdout
// before it begins and after it ends, so the parent knows which file was in flight when it
// killed this process. stdout is a pipe: Node writes to it synchronously, so a line printed is a
// line delivered even if SIGKILL follows.
//   node crash-writer.ts DB FILES_JSON START_COUNTER   (START_COUNTER "recover": recover, then exit)
import { openLibraryDb } from '../../../src-main/library/db/open.ts';
import { applyPlan } from '../../../src-main/tags/apply.ts';
import { realIo } from '../../../src-main/tags/io.ts';
import { recoverInterruptedWrites } from '../../../src-main/tags/journal.ts';
import { loadSettings } from '../../../src-main/tags/settings.ts';
import { createTagWriter } from '../../../src-main/tags/writer.ts';

const [dbPath, filesJson, start] = process.argv.slice(2);
const files = JSON.parse(filesJson!) as string[];
const db = openLibraryDb(dbPath!);
const report = await recoverInterruptedWrites(db, realIo);
process.stdout.write(`ready ${JSON.stringify({ swept: report.tempFilesRemoved.length, written: report.written, notWritten: report.notWritten })}\n`);
if (start === 'recover') process.exit(0);

const wctx = { db, settings: loadSettings(db).write, writer: createTagWriter(), io: realIo };
for (let n = Number(start); ; n++) {
  const i = n % files.length;
  const value = `v${n}`;
  process.stdout.write(`begin ${i} ${value}\n`);
  const r = await applyPlan(wctx, [{ path: files[i]!, set: { BETTI_TAGS: [value] }, remove: [], mode: 'replace' }], { kind: 'apply', source: 'plan', undoesBatch: null });
  const res = r.results[0]!;
  process.stdout.write(`end ${i} ${res.status} ${res.error ? JSON.stringify(res.error.message) : ''}\n`);
}
