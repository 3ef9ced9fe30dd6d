// The background analysis as the library view shows it: start, pause, resume, cancel, and the
// `analysis.progress` events (done / total, tracks per second, time left, current file, errors).
import type { BettiApi, BettiEvents, EventPayloadOf, ResponseOf } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';

export type Api = Pick<BettiApi, 'analysis.start' | 'analysis.pause' | 'analysis.resume' | 'analysis.cancel' | 'analysis.status'> & BettiEvents;
export type AnalysisProgress = EventPayloadOf<'analysis.progress'>;
export type AnalysisStatus = ResponseOf<'analysis.status'>;
export type RunState = AnalysisStatus['state'];

export class AnalysisRun {
  readonly #api: Api;
  readonly #listeners = new Set<(p: AnalysisProgress) => void>();
  state = $state<RunState>('idle');
  progress = $state.raw<AnalysisProgress | null>(null);
  /** The last full status (failures, queue counts). */
  status = $state.raw<AnalysisStatus | null>(null);
  error = $state.raw<ErrorText | null>(null);
  busy = $state(false);

  constructor(api: Api) {
    this.#api = api;
    api.on('analysis.progress', (p) => {
      this.progress = p;
      this.state = p.state;
      for (const l of this.#listeners) l(p);
      if (p.state === 'done' || p.state === 'cancelled') void this.refresh();
    });
  }

  get running(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'paused';
  }

  /** Fraction done, or null before the total is known. */
  get fraction(): number | null {
    const p = this.progress;
    return p && p.total > 0 ? Math.min(1, p.done / p.total) : null;
  }

  /** Tracks the library still has to analyse (from the last status). */
  get queued(): number {
    return this.status ? this.status.library.pending + this.status.library.failed : 0;
  }

  /** Subscribes to progress (the library refreshes its status column from it). */
  onProgress(listener: (p: AnalysisProgress) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #take(s: AnalysisStatus): void {
    this.status = s;
    this.state = s.state;
    this.error = s.error ? { title: 'The analysis stopped', message: s.error.message, hint: s.error.hint, path: s.error.path } : null;
  }

  async #call(fn: () => Promise<AnalysisStatus>): Promise<void> {
    this.busy = true;
    try {
      this.#take(await fn());
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  refresh(): Promise<void> {
    return this.#call(() => this.#api['analysis.status']({}));
  }

  start(opts: { retryFailed?: boolean } = {}): Promise<void> {
    this.progress = null;
    return this.#call(() => this.#api['analysis.start']({ ...(opts.retryFailed ? { retryFailed: true } : {}) }));
  }

  pause(): Promise<void> {
    return this.#call(() => this.#api['analysis.pause']({}));
  }

  resume(): Promise<void> {
    return this.#call(() => this.#api['analysis.resume']({}));
  }

  cancel(): Promise<void> {
    return this.#call(() => this.#api['analysis.cancel']({}));
  }
}
