// `betti suggest`: per track, the tags the analysis suggests (at or above each tag's threshold)
// that the file does not already carry, most confident first. --min-confidence raises the bar.
import type { z } from 'zod';
import { BettiError } from '../../api/errors.ts';
import type { analysisMethods } from '../../api/schemas/analysis.ts';
import { defineCommand } from '../command.ts';
import { intOption } from '../model-options.ts';

type SuggestResult = z.output<(typeof analysisMethods)['analysis.suggest']['response']>;

/** --min-confidence: a number from 0 to 1 (`betti accept` and `betti reject` narrow their batches with it too). */
export function confidenceOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isFinite(n) && n >= 0 && n <= 1)) throw new BettiError('invalid-request', `--min-confidence must be a number from 0 to 1 (got "${String(value)}")`);
  return n;
}

function human(r: SuggestResult): string {
  if (r.totalTracks === 0) return 'No pending suggestions. Run `betti analyze` first, or lower --min-confidence.';
  const lines: string[] = [];
  let count = 0;
  for (const t of r.tracks) {
    lines.push(`${t.path}  (track ${t.trackId})`);
    const width = Math.max(...t.suggestions.map((s) => s.tag.length));
    for (const s of t.suggestions) {
      const threshold = s.threshold === null ? '' : `  (threshold ${s.threshold.toFixed(2)})`;
      lines.push(`  #${String(s.id).padEnd(6)} ${s.tag.padEnd(width)}  ${s.confidence.toFixed(2)}  ${s.category}${s.source === 'personal' ? ', personal' : ''}${threshold}`);
      count += 1;
    }
  }
  const shown = r.tracks.length < r.totalTracks ? ` (showing ${r.tracks.length} of ${r.totalTracks} tracks; --limit shows more)` : '';
  lines.push('', `${count} suggestion(s) for ${r.tracks.length} track(s)${shown}.`);
  lines.push('`betti accept ID…` or `betti reject ID…` decides them; `betti accept --min-confidence X` (or --track, --tag) decides a batch.');
  return lines.join('\n');
}

export const suggestCommand = defineCommand<SuggestResult>({
  usage: 'suggest',
  describe: 'List, per track, the suggested tags above their thresholds that the file does not already have',
  options: [
    { flags: '--min-confidence <x>', description: 'only suggestions at least this confident (0 to 1), on top of each tag threshold' },
    { flags: '--limit <n>', description: 'at most this many tracks (default 10000)' },
  ],
  async run(ctx, _args, opts) {
    const minConfidence = confidenceOption(opts.minConfidence);
    const limit = intOption(opts.limit, '--limit');
    return ctx.client['analysis.suggest']({ ...(minConfidence === undefined ? {} : { minConfidence }), ...(limit === undefined ? {} : { limit }) });
  },
  human,
});
