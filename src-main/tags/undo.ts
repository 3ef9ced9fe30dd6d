// Undo replays the journal backwards: for every file a batch wrote, each field it changed gets
// its old values back, through the same verified transaction as any write. A file changed since
// Betti wrote it (state or values) is refused with its reason; one that already holds the old
// values is left alone. Each undo is a new batch that names the batch it undoes, so undoing an
// undo is a redo, and the journal survives restarts like everything in the database.
import { BettiError } from '../api/errors.ts';
import { Settings } from '../api/schemas/settings.ts';
import type { ApplyResult } from '../api/schemas/write.ts';
import { getBatch, latestWrittenState, listEntries, undoStack, type BatchRow } from '../library/db/queries/journal.ts';
import { applyPlan, type WriteContext } from './apply.ts';
import { id3Versions, type Id3Version } from './fields.ts';
import type { PlanItem } from './plan.ts';

export interface UndoRequest {
  batchId?: number | undefined;
  last?: number | undefined;
}

/** The plan that puts back what `batch` changed, file by file. */
export function undoPlan(wctx: WriteContext, batch: BatchRow): PlanItem[] {
  const items: PlanItem[] = [];
  for (const e of listEntries(wctx.db, batch.id)) {
    if (e.status !== 'written' || !e.after) continue;
    const set: Record<string, string[]> = {};
    const expectValues: Record<string, string[]> = {};
    for (const c of e.changes) {
      set[c.field] = c.before;
      expectValues[c.field] = c.after;
    }
    const id3Version = id3Versions.includes(e.id3Before as Id3Version) ? (e.id3Before as Id3Version) : undefined;
    // The file must be as Betti last left it: after this batch, or after a later Betti write
    // (e.g. the undo of a newer batch, when undoing several); the values it must hold are the
    // ones this batch wrote.
    const expect = latestWrittenState(wctx.db, e.path) ?? e.after;
    items.push({ path: e.path, set, remove: [], mode: 'replace', expect, expectValues, id3Version });
  }
  return items;
}

export async function undoBatches(wctx: WriteContext, req: UndoRequest): Promise<{ undone: number[]; batches: ApplyResult[] }> {
  let targets: BatchRow[];
  if (req.batchId !== undefined) {
    const b = getBatch(wctx.db, req.batchId);
    if (!b) throw new BettiError('not-found', `There is no write batch ${req.batchId}.`, { hint: '`betti history` lists the batches.' });
    targets = [b];
  } else {
    targets = undoStack(wctx.db, req.last ?? 1);
    if (targets.length === 0) throw new BettiError('not-found', 'Nothing to undo: no write batch that changed files is left to undo.', { hint: '`betti history` lists the batches.' });
  }
  const undone: number[] = [];
  const batches: ApplyResult[] = [];
  for (const target of targets) {
    if (target.status === 'running') {
      throw new BettiError('busy', `Batch ${target.id} is still being written.`, { hint: 'Wait for it to finish, then undo it.' });
    }
    // Write back with the settings the batch was written with (separator, custom field).
    const parsed = Settings.safeParse(target.settings);
    const settings = parsed.success ? parsed.data.write : wctx.settings;
    const kind = target.kind === 'undo' ? 'redo' : 'undo';
    const result = await applyPlan({ ...wctx, settings }, undoPlan(wctx, target), { kind, source: 'undo', undoesBatch: target.id });
    undone.push(target.id);
    batches.push(result);
  }
  return { undone, batches };
}
