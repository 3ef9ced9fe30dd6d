// `betti history [BATCH]`: the write journal: batches newest first, or one batch with every file
// it touched and each field's values before and after.
import { BettiError } from '../../api/errors.ts';
import type { BatchSummary, JournalEntry } from '../../api/schemas/write.ts';
import { defineCommand } from '../command.ts';

type HistoryResult = { batches: BatchSummary[]; total: number } | { batch: BatchSummary; entries: JournalEntry[] };

function batchLine(b: BatchSummary): string {
  const what = b.kind === 'apply' ? `apply (${b.source})` : `${b.kind} of ${b.undoes}`;
  const undone = b.undoneBy.length ? `  undone by ${b.undoneBy.join(', ')}` : '';
  const status = b.status === 'done' ? '' : `  [${b.status}]`;
  return `${String(b.id).padStart(5)}  ${b.startedAt.replace('T', ' ').slice(0, 19)}  ${what.padEnd(16)} written ${b.written}, unchanged ${b.unchanged}, failed ${b.failed}${status}${undone}`;
}

function human(r: HistoryResult): string {
  if ('entries' in r) {
    const lines = [batchLine(r.batch)];
    for (const e of r.entries) {
      lines.push(`  ${e.status.padEnd(8)} ${e.path}`);
      for (const c of e.changes) lines.push(`           ${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`);
      if (e.error) lines.push(`           ${e.error.message}`);
    }
    return lines.join('\n');
  }
  if (r.batches.length === 0) return 'No writes yet. `betti apply --plan FILE` writes tags.';
  const lines = ['   id  started              what             files', ...r.batches.map(batchLine)];
  if (r.total > r.batches.length) lines.push(`(${r.batches.length} of ${r.total}; use --limit)`);
  lines.push('`betti history ID` shows one batch; `betti undo ID` undoes it.');
  return lines.join('\n');
}

export const historyCommand = defineCommand<HistoryResult>({
  usage: 'history [batch]',
  describe: 'List write batches (newest first), or show one batch file by file',
  options: [{ flags: '--limit <n>', description: 'how many batches to list (default 50)' }],
  async run(ctx, args, opts) {
    const [batch] = args;
    if (batch !== undefined) {
      const id = Number(batch);
      if (!Number.isInteger(id) || id < 1) throw new BettiError('invalid-request', `The batch must be a positive whole number, not ${JSON.stringify(batch)}.`);
      return ctx.client['write.batch']({ id });
    }
    const limit = opts.limit === undefined ? 50 : Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new BettiError('invalid-request', `--limit must be a positive whole number, not ${JSON.stringify(opts.limit)}.`);
    return ctx.client['write.history']({ limit });
  },
  human,
});
