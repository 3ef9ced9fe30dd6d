// `betti similar <track>`: the tracks that sound most like one track (by id, or by its file path),
// nearest first, with how alike they are (cosine similarity of the network's embeddings).
import { resolve } from 'node:path';
import type { SimilarResult } from '../../api/schemas/personal.ts';
import { defineCommand } from '../command.ts';
import { intOption } from '../model-options.ts';

function human(r: SimilarResult): string {
  if (r.unavailable) return `${r.unavailable.message}\n  ${r.unavailable.hint}`;
  const lines = [`Tracks that sound like ${r.path}:`];
  if (r.tracks.length === 0) lines.push('  (no other analysed track)');
  for (const t of r.tracks) {
    const name = t.title ? `${t.artist ?? '?'} – ${t.title}${t.album ? `  [${t.album}]` : ''}` : t.path;
    lines.push(`  ${t.similarity.toFixed(3)}  ${String(t.trackId).padStart(6)}  ${name}`);
  }
  lines.push('', `${r.searched} analysed tracks compared in ${r.searchMs.toFixed(1)} ms (model ${r.modelVersion ?? 'none'}).`);
  return lines.join('\n');
}

export const similarCommand = defineCommand<SimilarResult>({
  usage: 'similar <track>',
  describe: 'List the tracks that sound most like a track (its id from `betti library`, or its file path)',
  options: [{ flags: '--n <count>', description: 'how many tracks (default 20)' }],
  run(ctx, [track], o) {
    const n = intOption(o.n, '--n');
    const ref = /^\d+$/.test(track!) ? { trackId: Number(track) } : { path: resolve(track!) };
    return ctx.client['similar.tracks']({ ...ref, ...(n === undefined ? {} : { n }) });
  },
  human,
  exitCode: (r) => (r.unavailable ? 1 : 0),
});
