import { readTrackFile } from './src-main/library/read-track.ts';
import { statSync } from 'node:fs';
const f = `/tmp/real/real.${process.argv[2]}`;
const st = statSync(f);
for (let i = 0; i < 300; i++) await readTrackFile(f, { stat: { size: st.size, mtimeMs: st.mtimeMs }, blockingReads: true });
const t = performance.now();
for (let i = 0; i < 1500; i++) await readTrackFile(f, { stat: { size: st.size, mtimeMs: st.mtimeMs }, blockingReads: true });
console.log(((performance.now() - t) / 1500).toFixed(3), 'ms');
