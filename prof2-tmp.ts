import { readFileSync } from 'node:fs';
const mm = await import('music-metadata');
for (const ext of ['mp3', 'flac', 'ogg', 'm4a']) {
  const b = readFileSync(`/tmp/bench1/base.${ext}`);
  for (let i = 0; i < 300; i++) await mm.parseBuffer(b, { path: `x.${ext}`, size: b.length });
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < 2000; i++) await mm.parseBuffer(b, { path: `x.${ext}`, size: b.length });
  const c = process.cpuUsage(c0);
  console.log(ext, 'wall/file µs', ((performance.now() - t0) / 2000 * 1000).toFixed(0), 'cpu/file µs', ((c.user + c.system) / 2000).toFixed(0));
}
