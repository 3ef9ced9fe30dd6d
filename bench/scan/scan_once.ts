// One cold scan in a fresh process, with the scan options bench/scan compares (the CLI has no
// flags for them): prints the summary as JSON. With --rescan, the same process then scans the same
// folders again, as the app and `betti serve` do when a person rescans (their process lives on
// after the first scan), and prints that summary on a second line.
//
//   node scan_once.ts DB [--pool-from N] [--rescan] FOLDER...
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { scanFolders, type ScanOptions } from '../../src-main/library/scan.ts';

const [dbPath, ...rest] = process.argv.slice(2);
const opts: ScanOptions = {};
const at = rest.indexOf('--pool-from');
if (at >= 0) {
  opts.poolFromFiles = Number(rest[at + 1]);
  rest.splice(at, 2);
}
const rescanAt = rest.indexOf('--rescan');
if (rescanAt >= 0) rest.splice(rescanAt, 1);
if (!dbPath || rest.length === 0 || (opts.poolFromFiles !== undefined && !(opts.poolFromFiles >= 1))) {
  console.error('usage: scan_once.ts DB [--pool-from N] [--rescan] FOLDER...');
  process.exit(2);
}
const db = openLibraryDb(dbPath);
console.log(JSON.stringify(await scanFolders(db, rest, opts)));
if (rescanAt >= 0) console.log(JSON.stringify(await scanFolders(db, rest, opts)));
db.close();
