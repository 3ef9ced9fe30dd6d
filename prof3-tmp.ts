import { rmSync } from 'node:fs';
import { openLibraryDb } from './src-main/library/db/open.ts';
import { upsertTrack } from './src-main/library/db/queries/tracks.ts';
import { readTrackFile } from './src-main/library/read-track.ts';
const rec = await readTrackFile('/tmp/bench1/base.mp3');
for (const variant of ['full', 'nofts', 'noidx', 'none']) {
  rmSync('/tmp/p3.db', {force: true}); rmSync('/tmp/p3.db-wal', {force: true}); const db = openLibraryDb(process.env.MEM ? ':memory:' : '/tmp/p3.db');
  if (variant === 'nofts' || variant === 'none') db.exec('DROP TRIGGER tracks_search_insert; DROP TRIGGER tracks_search_update;');
  if (variant === 'noidx' || variant === 'none') for (const i of ['tracks_by_artist','tracks_by_album','tracks_by_title','tracks_by_genre','tracks_by_year','tracks_by_duration','tracks_by_added','tracks_by_format']) db.exec(`DROP INDEX ${i}`);
  const c0 = process.cpuUsage();
  for (let b = 0; b < 25; b++) db.transaction(() => { for (let i = 0; i < 200; i++) upsertTrack(db, { ...rec, path: `/x/artist${i%50}/album ${b}/track ${b*200+i}.mp3`, tags: { ...rec.tags, title: `Title ${i}`, artist: `Artist ${i % 50}` } }); });
  const c = process.cpuUsage(c0);
  console.log(variant, ((c.user + c.system) / 5000).toFixed(0), 'µs/row');
}
