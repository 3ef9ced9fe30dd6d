import type { ApplyResult, PreviewResult } from '../schemas/write.ts';
import { getBatch, countBatches, listBatches, listEntries } from '../../library/db/queries/journal.ts';
import { planFromAccepted } from '../../tags/accepted.ts';
import { applyPlan, type WriteContext } from '../../tags/apply.ts';
import { realIo } from '../../tags/io.ts';
import { batchSummary, journalEntry, recoverInterruptedWrites } from '../../tags/journal.ts';
import { previewPlan } from '../../tags/plan.ts';
import { loadSettings } from '../../tags/settings.ts';
import { undoBatches } from '../../tags/undo.ts';
import { createTagWriter } from '../../tags/writer.ts';
import { BettiError } from '../errors.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

type WriteMethods = 'write.plan' | 'write.preview' | 'write.apply' | 'write.history' | 'write.batch' | 'write.undo';

/** A dry run reports what apply would do, per file, from the preview. */
function dryRunResult(preview: PreviewResult, t0: number): ApplyResult {
  const results = preview.files.map((f) => ({
    path: f.path,
    ...(f.format ? { format: f.format } : {}),
    status: f.status === 'change' ? ('ok' as const) : f.status === 'unchanged' ? ('unchanged' as const) : ('failed' as const),
    fields: f.fields,
    ...(f.error ? { error: f.error } : {}),
  }));
  return {
    batchId: null,
    dryRun: true,
    results,
    summary: { ok: preview.summary.change, unchanged: preview.summary.unchanged, failed: preview.summary.error, durationMs: Math.round(performance.now() - t0) },
  };
}

export function writeHandlers(ctx: ServiceContext): Handlers<WriteMethods> {
  const writer = createTagWriter();
  let recovered: Promise<unknown> | undefined;
  /** The journal as of "the next start": interrupted writes of dead processes reconciled first. */
  const ready = async () => {
    recovered ??= recoverInterruptedWrites(ctx.db(), realIo);
    await recovered;
  };
  const writeContext = (): WriteContext => {
    const db = ctx.db();
    return { db, settings: loadSettings(db).write, writer, io: realIo, onProgress: (p) => ctx.bus.emit('write.progress', p) };
  };

  return {
    'write.plan': async (req) => {
      const db = ctx.db();
      const { write } = loadSettings(db);
      const plan = planFromAccepted(db, write, req);
      return { plan, preview: await previewPlan(plan.files, write) };
    },
    'write.preview': async (req) => previewPlan(req.plan.files, loadSettings(ctx.db()).write),
    'write.apply': async (req) => {
      const t0 = performance.now();
      const wctx = writeContext();
      const plan = req.plan ?? planFromAccepted(wctx.db, wctx.settings, req.accepted ?? {});
      if (req.dryRun) return dryRunResult(await previewPlan(plan.files, wctx.settings), t0);
      await ready();
      return applyPlan(wctx, plan.files, { kind: 'apply', source: req.plan ? 'plan' : 'accepted', undoesBatch: null });
    },
    'write.history': async (req) => {
      await ready();
      const db = ctx.db();
      return { batches: listBatches(db, req).map(batchSummary), total: countBatches(db) };
    },
    'write.batch': async (req) => {
      await ready();
      const db = ctx.db();
      const batch = getBatch(db, req.id);
      if (!batch) throw new BettiError('not-found', `There is no write batch ${req.id}.`, { hint: 'The write history lists the batches this library holds.' });
      return { batch: batchSummary(batch), entries: listEntries(db, req.id).map(journalEntry) };
    },
    'write.undo': async (req) => {
      await ready();
      return undoBatches(writeContext(), req);
    },
  };
}
