// Scanning folders from the UI: the folders a person typed, the running scan's progress with
// time left, cancel, and the summary of the last scan. Progress comes from the client's
// `scan.progress` events.
import type { BettiApi, BettiEvents, EventPayloadOf } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';
import { RateEstimator } from '../../ui/rate.ts';
import type { ScanSummary } from './types.ts';

export type Api = Pick<BettiApi, 'library.scan' | 'library.cancelScan'> & BettiEvents;
export type ScanProgress = EventPayloadOf<'scan.progress'>;

/** Folders typed into one field: one per line, or separated by ";" (paths may hold commas and spaces). */
export function parseFolders(text: string): string[] {
  return [...new Set(text.split(/[\n;]/).map((f) => f.trim()).filter((f) => f.length > 0))];
}

export class ScanState {
  readonly #api: Api;
  readonly #rate = new RateEstimator();
  readonly #now: () => number;

  folders = $state('');
  running = $state(false);
  cancelling = $state(false);
  progress = $state.raw<ScanProgress | null>(null);
  secondsLeft = $state<number | undefined>(undefined);
  summary = $state.raw<ScanSummary | null>(null);
  error = $state.raw<ErrorText | null>(null);

  constructor(api: Api, now: () => number = () => performance.now()) {
    this.#api = api;
    this.#now = now;
    api.on('scan.progress', (p) => this.onProgress(p));
  }

  get canScan(): boolean {
    return !this.running && parseFolders(this.folders).length > 0;
  }

  /** Fraction done, or null while the total is unknown (the walk is still counting files). */
  get fraction(): number | null {
    const p = this.progress;
    if (!p || p.phase === 'walk' || p.total <= 0) return null;
    return Math.min(1, p.done / p.total);
  }

  /** A progress event (only while this state's scan runs). */
  onProgress(p: ScanProgress): void {
    if (!this.running) return;
    this.progress = p;
    this.secondsLeft = p.phase === 'read' ? this.#rate.update(p.done, p.total, this.#now()) : undefined;
  }

  /** Scans the typed folders; resolves with the summary (also kept in `summary`), or null on failure. */
  async start(): Promise<ScanSummary | null> {
    const folders = parseFolders(this.folders);
    if (this.running || folders.length === 0) return null;
    this.running = true;
    this.cancelling = false;
    this.error = null;
    this.progress = null;
    this.secondsLeft = undefined;
    this.#rate.reset();
    try {
      const summary = await this.#api['library.scan']({ folders });
      this.summary = summary;
      return summary;
    } catch (err) {
      this.error = errorText(err);
      return null;
    } finally {
      this.running = false;
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    if (!this.running) return;
    this.cancelling = true;
    try {
      await this.#api['library.cancelScan']({});
    } catch (err) {
      this.error = errorText(err);
    }
  }
}
