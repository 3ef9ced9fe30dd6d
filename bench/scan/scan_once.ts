// One cold scan in a fresh process, with the scan options bench/scan compares (the CLI has no
// flags for them): prints the summary as JSON.
//
//   node scan_once.ts DB [--pool-from N] FOLDER...
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { scanFolders, type ScanOptions } from '../../src-main/library/scan.ts';

const [dbPath, ...rest] = process.argv.slice(2);
const opts: ScanOptions = {};
const at = rest.indexOf('--pool-from');
if (at >= 0) {
  opts.poolFromFiles = Number(rest[at + 1]);
  rest.splice(at, 2);
}
if (!dbPath || rest.length === 0 || (opts.poolFromFiles !== undefined && !(opts.poolFromFiles >= 1))) {
  console.error('usage: scan_once.ts DB [--pool-from N] FOLDER...');
  process.exit(2);
}
const db = openLibraryDb(dbPath);
const summary = await scanFolders(db, rest, opts);
db.close();
console.log(JSON.stringify(summary));
