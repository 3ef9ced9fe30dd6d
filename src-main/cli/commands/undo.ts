// `betti undo [BATCH] [--last N]`: restores every field a write batch changed (default: the
// latest batch not yet undone). Files changed since Betti wrote them are refused, each with its
// reason. Undoing an undo batch is a redo. Exit status 1 when any file failed.
import { BettiError } from '../../api/errors.ts';
import type { ResponseOf } from '../../api/contract.ts';
import { defineCommand } from '../command.ts';
import { humanApply, withWriteProgress } from './apply.ts';

type UndoResult = ResponseOf<'write.undo'>;

function positiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new BettiError('invalid-request', `${what} must be a positive whole number, not ${JSON.stringify(text)}.`, { hint: '`betti history` lists the batches.' });
  return n;
}

export const undoCommand = defineCommand<UndoResult>({
  usage: 'undo [batch]',
  describe: 'Undo a write batch (default: the last one not yet undone); undoing an undo redoes it',
  options: [{ flags: '--last <n>', description: 'undo the last N batches not yet undone, newest first' }],
  async run(ctx, args, opts) {
    const [batch] = args;
    if (batch !== undefined && opts.last !== undefined) throw new BettiError('invalid-request', 'Give a batch or --last N, not both.');
    const request = batch !== undefined ? { batchId: positiveInt(batch, 'The batch') } : opts.last !== undefined ? { last: positiveInt(String(opts.last), '--last') } : {};
    return withWriteProgress(ctx, () => ctx.client['write.undo'](request));
  },
  human: (r) => r.batches.map((b, i) => [`Undoing batch ${r.undone[i]}:`, humanApply(b)].join('\n')).join('\n\n'),
  exitCode: (r) => (r.batches.some((b) => b.summary.failed > 0) ? 1 : 0),
});
