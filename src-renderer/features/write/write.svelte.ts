// Writing accepted suggestions: a preview of exactly what will be written (file by file, field by
// field, before → after), then that same plan written — each file pinned to the state the preview
// saw, so a file that changes in between is refused, not overwritten — with progress, per-file
// results, and the journal's history with undo.
import type { BettiApi, BettiEvents } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';
import type { ApplyResult, BatchSummary, PreviewResult, WritePlan, WriteProgress } from './types.ts';

export type Api = Pick<BettiApi, 'write.plan' | 'write.apply' | 'write.history' | 'write.undo'> & BettiEvents;

export type WritePhase = 'idle' | 'previewing' | 'previewed' | 'writing' | 'written';

/** The plan with every file pinned to the state the preview read (`expect`). */
export function pinnedPlan(plan: WritePlan, preview: PreviewResult): WritePlan {
  const expect = new Map(preview.files.map((f) => [f.path, f.expect]));
  return {
    files: plan.files.map((f) => {
      const e = expect.get(f.path);
      return e ? { ...f, expect: e } : f;
    }),
  };
}

export class WriteState {
  readonly #api: Api;
  phase = $state<WritePhase>('idle');
  plan = $state.raw<WritePlan | null>(null);
  preview = $state.raw<PreviewResult | null>(null);
  /** Tracks the preview covers (undefined: every track with accepted suggestions). */
  trackIds = $state.raw<number[] | undefined>(undefined);
  progress = $state.raw<WriteProgress | null>(null);
  result = $state.raw<ApplyResult | null>(null);
  history = $state.raw<BatchSummary[]>([]);
  historyTotal = $state(0);
  /** The batch an undo is running for. */
  undoing = $state<number | null>(null);
  lastUndo = $state.raw<{ batchId: number; result: ApplyResult } | null>(null);
  error = $state.raw<ErrorText | null>(null);
  /** Why the last preview was dropped (the settings it was made with changed). */
  notice = $state('');

  constructor(api: Api) {
    this.#api = api;
    api.on('write.progress', (p) => {
      if (this.phase === 'writing' || this.undoing !== null) this.progress = p;
    });
  }

  /** Files the preview would change. */
  get changing(): number {
    return this.preview?.summary.change ?? 0;
  }

  /** Plans the accepted suggestions (of `trackIds`, or all) and previews them; writes nothing. */
  async makePreview(trackIds?: number[]): Promise<void> {
    this.phase = 'previewing';
    this.trackIds = trackIds;
    this.result = null;
    this.error = null;
    this.notice = '';
    try {
      const r = await this.#api['write.plan'](trackIds ? { trackIds } : {});
      this.plan = r.plan;
      this.preview = r.preview;
      this.phase = 'previewed';
    } catch (err) {
      this.error = errorText(err);
      this.phase = 'idle';
    }
  }

  /** Writes exactly the previewed plan. */
  async apply(): Promise<ApplyResult | null> {
    if (this.phase !== 'previewed' || !this.plan || !this.preview) return null;
    this.phase = 'writing';
    this.progress = null;
    this.error = null;
    try {
      const result = await this.#api['write.apply']({ plan: pinnedPlan(this.plan, this.preview) });
      this.result = result;
      this.phase = 'written';
      await this.loadHistory();
      return result;
    } catch (err) {
      this.error = errorText(err);
      this.phase = 'previewed';
      return null;
    }
  }

  /** Back to a fresh start (after a write, or to drop a preview). */
  reset(): void {
    this.phase = 'idle';
    this.plan = null;
    this.preview = null;
    this.result = null;
    this.progress = null;
    this.error = null;
  }

  /**
   * The write settings changed. A preview made with the old ones (another custom field, another ID3
   * version) no longer shows what would be written, and what is written must be what was previewed.
   */
  settingsChanged(): void {
    if (this.phase !== 'previewed') return;
    this.reset();
    this.notice = 'The write settings changed, so the preview was dropped: preview again to see what will be written with them.';
  }

  async loadHistory(): Promise<void> {
    try {
      const r = await this.#api['write.history']({ limit: 50 });
      this.history = r.batches;
      this.historyTotal = r.total;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Restores every field a batch changed (undoing an undo redoes it). */
  async undo(batchId: number): Promise<void> {
    this.undoing = batchId;
    this.progress = null;
    this.error = null;
    try {
      const r = await this.#api['write.undo']({ batchId });
      const result = r.batches[0];
      if (result) this.lastUndo = { batchId, result };
      await this.loadHistory();
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.undoing = null;
    }
  }
}
