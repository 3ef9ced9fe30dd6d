// The review list: suggestions of a scope (the selected tracks, or the whole library), a cursor
// the keyboard moves (j/k), accept/reject/undo on it (a/r/u), per-track "accept all at or above
// their thresholds", and batches ("accept every suggestion ≥ 0.8 for these 300 tracks") that
// first say how many suggestions they will change.
import type { BettiApi } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';
import type { DecisionLog } from './decision-log.svelte.ts';
import type { Decision, Suggestion } from './types.ts';

export type Api = Pick<BettiApi, 'review.list'>;

/** The most suggestions the list holds at once (review.list pages are at most 10,000). */
export const LIST_LIMIT = 5000;

export interface BatchPlan {
  trackIds: number[] | undefined;
  minConfidence: number;
  /** Pending suggestions the batch would accept. */
  count: number;
}

export class ReviewState {
  readonly #api: Api;
  readonly log: DecisionLog;
  /** Tag → decision threshold, where known (model tags). */
  thresholds = $state.raw<ReadonlyMap<string, number>>(new Map());

  /** Show pending suggestions only, or every decision. */
  show = $state<'pending' | 'all'>('pending');
  /** Tracks in scope; undefined: the whole library. */
  trackIds = $state.raw<number[] | undefined>(undefined);
  items = $state<Suggestion[]>([]);
  /** Suggestions in scope (may exceed what the list holds). */
  total = $state(0);
  cursor = $state(0);
  loading = $state(false);
  error = $state.raw<ErrorText | null>(null);
  /** What the last action did, in words (for a status line and screen readers). */
  message = $state('');
  #generation = 0;

  constructor(api: Api, log: DecisionLog) {
    this.#api = api;
    this.log = log;
    log.onChange((changes) => this.#apply(changes));
  }

  #apply(changes: ReadonlyMap<number, Decision>): void {
    for (const s of this.items) {
      const d = changes.get(s.id);
      if (d !== undefined) s.decision = d;
    }
  }

  get current(): Suggestion | undefined {
    return this.items[this.cursor];
  }

  /** Loads the scope's suggestions (pending ones, or all with `show = 'all'`). */
  async load(trackIds: number[] | undefined = this.trackIds): Promise<void> {
    const generation = ++this.#generation;
    this.trackIds = trackIds;
    this.loading = true;
    try {
      const res = await this.#api['review.list']({ ...(trackIds ? { trackIds } : {}), decision: this.show, limit: LIST_LIMIT });
      if (generation !== this.#generation) return;
      this.items = res.suggestions;
      this.total = res.total;
      this.cursor = Math.min(this.cursor, Math.max(0, res.suggestions.length - 1));
      this.error = null;
    } catch (err) {
      if (generation === this.#generation) this.error = errorText(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  move(delta: number): void {
    if (this.items.length === 0) return;
    this.cursor = Math.max(0, Math.min(this.items.length - 1, this.cursor + delta));
  }

  /** The next suggestion after the cursor still pending (or the next one, when none is). */
  #advance(): void {
    const next = this.items.findIndex((s, i) => i > this.cursor && s.decision === 'pending');
    this.move(next >= 0 ? next - this.cursor : 1);
  }

  async #decideOne(decision: Decision, verb: string): Promise<void> {
    const s = this.current;
    if (!s) return;
    try {
      await this.log.decide([s], decision, `${verb} ${s.tag}`);
      this.message = `${verb} ${s.tag}`;
      this.error = null;
      this.#advance();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  accept(): Promise<void> {
    return this.#decideOne('accepted', 'Accepted');
  }

  reject(): Promise<void> {
    return this.#decideOne('rejected', 'Rejected');
  }

  /** Undoes the last decision step (one suggestion or a whole batch) and puts the cursor on it. */
  async undo(): Promise<void> {
    try {
      const step = await this.log.undo();
      if (!step) {
        this.message = 'Nothing to undo';
        return;
      }
      const i = this.items.findIndex((s) => s.id === step.changes[0]?.id);
      if (i >= 0) this.cursor = i;
      this.message = `Undid: ${step.label}`;
      this.error = null;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Pending suggestions of `trackId` at or above their tag's threshold (all of its pending ones where no threshold is known). */
  aboveThreshold(trackId: number, items: readonly Suggestion[] = this.items): Suggestion[] {
    return items.filter((s) => s.trackId === trackId && s.decision === 'pending' && s.confidence >= (this.thresholds.get(s.tag) ?? 0));
  }

  /** Accepts every pending suggestion of a track at or above its threshold. */
  async acceptTrack(trackId: number): Promise<number> {
    const items = this.aboveThreshold(trackId);
    try {
      const n = await this.log.decide(items, 'accepted', `accepted ${items.length} suggestions of one track`);
      this.message = `Accepted ${n} suggestion${n === 1 ? '' : 's'} at or above their thresholds`;
      this.error = null;
      return n;
    } catch (err) {
      this.error = errorText(err);
      return 0;
    }
  }

  /** How many pending suggestions a batch accept would change (nothing changes yet). */
  async planBatch(trackIds: number[] | undefined, minConfidence: number): Promise<BatchPlan> {
    const res = await this.#api['review.list']({ ...(trackIds ? { trackIds } : {}), decision: 'pending', minConfidence, limit: 1 });
    return { trackIds, minConfidence, count: res.total };
  }

  /** Accepts every pending suggestion ≥ minConfidence of the plan's tracks; one undoable step. */
  async runBatch(plan: BatchPlan): Promise<number> {
    try {
      const all: Suggestion[] = [];
      for (let offset = 0; ; offset += 10_000) {
        const page = await this.#api['review.list']({
          ...(plan.trackIds ? { trackIds: plan.trackIds } : {}),
          decision: 'pending',
          minConfidence: plan.minConfidence,
          limit: 10_000,
          offset,
        });
        all.push(...page.suggestions);
        if (page.suggestions.length < 10_000) break;
      }
      const n = await this.log.decide(all, 'accepted', `accepted ${all.length} suggestions ≥ ${plan.minConfidence}`);
      this.message = `Accepted ${n} suggestion${n === 1 ? '' : 's'} ≥ ${plan.minConfidence}`;
      this.error = null;
      return n;
    } catch (err) {
      this.error = errorText(err);
      return 0;
    }
  }
}
