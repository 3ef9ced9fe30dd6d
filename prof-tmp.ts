import { openLibraryDb } from '/work/main/src-main/library/db/open.ts';
import { scanFolders } from '/work/main/src-main/library/scan.ts';
import { readTrackFile } from '/work/main/src-main/library/read-track.ts';
import { walkAudioFiles } from '/work/main/src-main/library/walk.ts';
const mode = process.argv[2];
let t = performance.now();
const w = await walkAudioFiles(['/tmp/bench1/lib']);
console.log('walk', (performance.now()-t).toFixed(0), w.files.length);
if (mode === 'read') {
  t = performance.now();
  for (const f of w.files.slice(0, 2000)) await readTrackFile(f.path, { stat: f });
  console.log('read 2000 seq', (performance.now()-t).toFixed(0));
} else if (mode === 'mm') {
  const mm = await import('/work/main/node_modules/music-metadata/lib/index.js');
  const fs = await import('node:fs/promises');
  t = performance.now();
  for (const f of w.files.slice(0, 2000)) { const b = await fs.readFile(f.path); await mm.parseBuffer(b, {path: f.path, size: b.length}); }
  console.log('mm 2000 seq', (performance.now()-t).toFixed(0));
  t = performance.now();
  for (const f of w.files.slice(0, 2000)) { const b = await fs.readFile(f.path); }
  console.log('readFile 2000 seq', (performance.now()-t).toFixed(0));
} else {
  const db = openLibraryDb('/tmp/b1.db');
  t = performance.now();
  const s = await scanFolders(db, ['/tmp/bench1/lib'], { workers: Number(process.env.W) });
  console.log('scan', (performance.now()-t).toFixed(0), s.new);
}
