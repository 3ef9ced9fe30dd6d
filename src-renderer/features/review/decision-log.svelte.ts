// Decisions about suggestions and their undo (`u`). Every accept or reject — one suggestion, a
// track's, or a batch of thousands — goes through here by suggestion id, so the log knows each
// suggestion's decision before and undo restores exactly that. Views that show suggestions
// subscribe to changes and patch their rows, so the inspector and the review list always agree.
import type { BettiApi } from '../../../src-main/api/contract.ts';
import type { Decision, DecisionStep, Suggestion } from './types.ts';

export type Api = Pick<BettiApi, 'review.decide'>;
export type DecisionListener = (changes: ReadonlyMap<number, Decision>) => void;

/** Ids per request: keeps each request body small however large the batch. */
const CHUNK = 5000;

export class DecisionLog {
  readonly #api: Api;
  readonly #listeners = new Set<DecisionListener>();
  /** Undoable steps, oldest first. */
  steps = $state.raw<DecisionStep[]>([]);

  constructor(api: Api) {
    this.#api = api;
  }

  get canUndo(): boolean {
    return this.steps.length > 0;
  }

  /** Subscribes to decision changes; returns the unsubscribe function. */
  onChange(listener: DecisionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #send(ids: readonly number[], decision: Decision): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await this.#api['review.decide']({ suggestionIds: ids.slice(i, i + CHUNK), decision, onlyPending: false });
    }
  }

  #notify(changes: Map<number, Decision>): void {
    for (const l of this.#listeners) l(changes);
  }

  /** Sets `decision` on each suggestion not already there; returns how many changed. */
  async decide(items: readonly Pick<Suggestion, 'id' | 'decision'>[], decision: Decision, label: string): Promise<number> {
    // What each one was, taken before anything is sent.
    const changes = items.filter((s) => s.decision !== decision).map((s) => ({ id: s.id, before: s.decision }));
    if (changes.length === 0) return 0;
    await this.#send(
      changes.map((c) => c.id),
      decision,
    );
    this.steps = [...this.steps, { label, decision, changes }];
    this.#notify(new Map(changes.map((c) => [c.id, decision])));
    return changes.length;
  }

  /** Undoes the last step: every suggestion it changed gets its decision back. Returns the step, or null. */
  async undo(): Promise<DecisionStep | null> {
    const step = this.steps.at(-1);
    if (!step) return null;
    const byBefore = new Map<Decision, number[]>();
    for (const c of step.changes) byBefore.set(c.before, [...(byBefore.get(c.before) ?? []), c.id]);
    for (const [before, ids] of byBefore) await this.#send(ids, before);
    this.steps = this.steps.slice(0, -1);
    this.#notify(new Map(step.changes.map((c) => [c.id, c.before])));
    return step;
  }
}
