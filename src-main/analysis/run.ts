// One analysis run over the library: waits for the model, plans the queue, feeds the pool, stores
// each result as it arrives (one transaction per track, so a kill loses only the tracks in flight),
// fills suggestions, and reports progress a person can trust: done/total, tracks/s and time left
// measured over the recent past (paused time excluded), the current file, the errors so far.
// Pause and cancel take effect at once: in-flight jobs are cancelled by message and go back to
// the queue, so nothing half-done is kept and a later run (or resume) picks them up.
import type { WireError } from '../api/errors.ts';
import { toWireError } from '../api/errors.ts';
import type { WriteSettings } from '../api/schemas/settings.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { addAttempts, dropWithheldModelSuggestions, getAnalysis, markDone, markFailed, putAnalysis, registerModel, releaseClaim, type AnalysisKey, type ClaimedTrack } from '../library/db/queries/analysis.ts';
import { neverSuggestedTags } from '../model/quality-bar.ts';
import { getTrackById } from '../library/db/queries/tracks.ts';
import { loadSettings } from '../tags/settings.ts';
import { checkTrackAnalysis } from './cache.ts';
import type { AnalysisPool, FailureReason, JobOutcome, WorkerStats } from './pool.ts';
import type { ModelIdentity, TrackAnalysis } from './protocol.ts';
import { claimNext, planQueue, type QueuePlan } from './queue.ts';
import { fillSuggestions } from './suggestions.ts';

export type RunState = 'starting' | 'running' | 'paused' | 'cancelled' | 'done' | 'failed';

export interface RunProgress {
  done: number;
  total: number;
  tracksPerSec: number;
  /** Seconds left at the recent rate; null until there is a rate. */
  etaSec: number | null;
  /** The file a worker started most recently. */
  current: string | null;
  errors: number;
  state: 'running' | 'paused' | 'cancelled' | 'done';
}

export interface RunFailure {
  trackId: number;
  path: string;
  kind: WireError['kind'];
  message: string;
  reason: FailureReason;
  attempts: number;
}

export interface RunStatus extends Omit<RunProgress, 'state'> {
  state: RunState;
  analysed: number;
  cached: number;
  upToDate: number;
  resumed: number;
  elapsedSec: number;
  jobs: number;
  workerRestarts: number;
  failures: RunFailure[];
  model: ModelIdentity | null;
  workers: WorkerStats[];
  /** Why the run stopped, when it failed as a whole (no worker could start…). */
  error: WireError | null;
}

export interface RunOptions {
  /** Compute the inspector's pictures (default true). */
  display?: boolean;
  maxWindows?: number;
  /** Try again tracks that failed for the current model (default false). */
  retryFailed?: boolean;
  /** Fewest milliseconds between two progress reports while running (default 250). */
  progressIntervalMs?: number;
  /** Most failures kept in the status (all are in the database). */
  maxFailuresKept?: number;
}

/** Completions the tracks/s rate is measured over: recent enough to follow a change of pace. */
const RATE_WINDOW = 64;

export class AnalysisRun {
  readonly #db: LibraryDb;
  readonly #pool: AnalysisPool;
  readonly #emit: (p: RunProgress) => void;
  readonly #opts: Required<Omit<RunOptions, 'maxWindows'>> & { maxWindows?: number };
  #state: RunState = 'starting';
  #model: ModelIdentity | null = null;
  #plan: QueuePlan | undefined;
  #settings: WriteSettings | undefined;
  #total = 0;
  #analysed = 0;
  #errors = 0;
  #current: string | null = null;
  #failures: RunFailure[] = [];
  #error: WireError | null = null;
  readonly #inFlight = new Map<number, { jobId: number; claim: ClaimedTrack }>();
  #wake: (() => void) | undefined;
  // Active clock: milliseconds spent running, paused time excluded.
  #activeMs = 0;
  #activeSince: number | null = null;
  #startedAt = 0;
  readonly #completions: number[] = [];
  #lastEmit = 0;
  #finished: Promise<RunStatus> | undefined;

  constructor(db: LibraryDb, pool: AnalysisPool, onProgress: (p: RunProgress) => void, opts: RunOptions = {}) {
    this.#db = db;
    this.#pool = pool;
    this.#emit = onProgress;
    this.#opts = {
      display: opts.display ?? true,
      retryFailed: opts.retryFailed ?? false,
      progressIntervalMs: opts.progressIntervalMs ?? 250,
      maxFailuresKept: opts.maxFailuresKept ?? 200,
    };
    if (opts.maxWindows !== undefined) this.#opts.maxWindows = opts.maxWindows;
  }

  get state(): RunState {
    return this.#state;
  }

  /**
   * Starts the workers, waits for the model, plans the queue and fills the suggestions of tracks
   * found in the cache. Rejects (and closes the pool) when no worker can load the model.
   */
  async prepare(): Promise<RunStatus> {
    this.#startedAt = Date.now();
    let model: ModelIdentity;
    try {
      model = await this.#pool.start();
    } catch (err) {
      await this.#pool.close();
      this.#state = 'failed';
      this.#error = toWireError(err);
      throw err;
    }
    this.#model = model;
    registerModel(this.#db, model);
    // Suggestions of tags this model folder now holds below the quality bar go before anyone can
    // list or batch-accept them (model/quality-bar.ts).
    dropWithheldModelSuggestions(this.#db, model.modelVersion, neverSuggestedTags(model.tags));
    this.#settings = loadSettings(this.#db).write;
    this.#plan = planQueue(this.#db, model, { retryFailed: this.#opts.retryFailed });
    for (const hit of this.#plan.cached) this.#fillFromCache(hit.trackId, hit.key);
    this.#total = this.#plan.pending;
    if (this.#state === 'starting') this.#state = 'running';
    return this.status();
  }

  /** Runs until the queue is empty or the run is cancelled; then closes the pool. Call prepare() first. */
  execute(): Promise<RunStatus> {
    this.#finished ??= this.#loop();
    return this.#finished;
  }

  pause(): void {
    if (this.#state !== 'running') return;
    this.#setState('paused');
    this.#pool.cancelAll();
  }

  resume(): void {
    if (this.#state !== 'paused') return;
    this.#setState('running');
  }

  cancel(): void {
    if (this.#state === 'done' || this.#state === 'cancelled' || this.#state === 'failed') return;
    this.#setState('cancelled');
    this.#pool.cancelAll();
  }

  status(): RunStatus {
    const progress = this.#progress();
    return {
      ...progress,
      state: this.#state,
      analysed: this.#analysed,
      cached: this.#plan?.cached.length ?? 0,
      upToDate: this.#plan?.upToDate ?? 0,
      resumed: this.#plan?.resumed ?? 0,
      elapsedSec: this.#startedAt ? (Date.now() - this.#startedAt) / 1000 : 0,
      jobs: this.#pool.size,
      workerRestarts: this.#pool.restarts,
      failures: [...this.#failures],
      model: this.#model,
      workers: this.#pool.stats(),
      error: this.#error,
    };
  }

  async #loop(): Promise<RunStatus> {
    if (!this.#model) throw new Error('AnalysisRun.execute() called before prepare()');
    this.#activeSince = this.#state === 'running' ? Date.now() : null;
    this.#report(true);
    const ticker = setInterval(() => this.#report(false), this.#opts.progressIntervalMs);
    try {
      for (;;) {
        let exhausted = false;
        if (this.#state === 'running' && !this.#pool.fatal) {
          // Two jobs per worker: the next one is there the moment a worker is free.
          const want = this.#pool.size * 2 - this.#inFlight.size;
          const claims = claimNext(this.#db, want);
          exhausted = claims.length < want;
          for (const claim of claims) this.#dispatch(claim);
        }
        if (this.#pool.fatal && this.#state !== 'failed') {
          this.#error = this.#pool.fatal.toWire();
          this.#state = 'failed';
          this.#pool.cancelAll();
        }
        const stopping = this.#state === 'cancelled' || this.#state === 'failed';
        if (this.#inFlight.size === 0 && (stopping || (this.#state === 'running' && exhausted))) break;
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
      if (this.#state === 'running') this.#setState('done');
    } finally {
      clearInterval(ticker);
      this.#stopClock();
      await this.#pool.close();
    }
    this.#report(true);
    return this.status();
  }

  #dispatch(claim: ClaimedTrack): void {
    const { jobId, outcome } = this.#pool.submit(
      claim.path,
      { display: this.#opts.display, ...(this.#opts.maxWindows !== undefined ? { maxWindows: this.#opts.maxWindows } : {}) },
      {
        onStage: (stage) => {
          if (stage === 'started') this.#current = claim.path;
        },
      },
    );
    this.#inFlight.set(claim.trackId, { jobId, claim });
    void outcome.then((o) => {
      this.#inFlight.delete(claim.trackId);
      try {
        this.#settle(claim, o);
      } catch (err) {
        // A store that failed (a malformed result, disk full) fails this track, not the run.
        try {
          this.#recordFailure(claim, toWireError(err), 'error', o.attempts);
        } catch (again) {
          process.stderr.write(`betti: could not record the analysis of ${claim.path}: ${(again as Error).message}\n`);
        }
      }
      this.#report(false);
      this.#wake?.();
    });
  }

  #settle(claim: ClaimedTrack, o: JobOutcome): void {
    switch (o.status) {
      case 'done':
        this.#store(claim, o.analysis);
        addAttempts(this.#db, claim.trackId, o.attempts - 1);
        this.#analysed += 1;
        this.#completed();
        return;
      case 'failed':
        if (this.#pool.fatal) {
          releaseClaim(this.#db, claim.trackId); // the run failed, not the track
          return;
        }
        addAttempts(this.#db, claim.trackId, o.attempts - 1);
        this.#recordFailure(claim, o.error, o.reason, o.attempts);
        return;
      case 'cancelled':
        releaseClaim(this.#db, claim.trackId);
        return;
    }
  }

  #store(claim: ClaimedTrack, a: TrackAnalysis): void {
    const model = this.#model!;
    checkTrackAnalysis(a, model, claim.path);
    this.#db.transaction(() => {
      putAnalysis(
        this.#db,
        {
          ...claim.key,
          backend: a.backend,
          durationSec: a.durationSec,
          confidences: a.confidences,
          windowOffsets: a.windowOffsets,
          windowDurations: a.windowDurations,
          windowProbabilities: a.windowProbabilities,
          embedding: a.embedding,
          timing: { ...a.timing },
        },
        a.display && {
          logMel: {
            frames: a.display.logMel.shape[0]!,
            bands: a.display.logMel.shape[1]!,
            min: a.display.logMel.min,
            max: a.display.logMel.max,
            data: a.display.logMel.data,
            times: a.display.logMelTimes,
          },
          landscapes: { shape: a.display.landscapes.shape, min: a.display.landscapes.min, max: a.display.landscapes.max, data: a.display.landscapes.data },
        },
      );
      markDone(this.#db, claim.trackId);
      const track = getTrackById(this.#db, claim.trackId);
      if (track) fillSuggestions(this.#db, track, a.confidences, model.tags, this.#settings!);
    });
  }

  /** A track whose audio was analysed before (a copy, a file that came back): its suggestions from the stored analysis. */
  #fillFromCache(trackId: number, key: AnalysisKey): void {
    const track = getTrackById(this.#db, trackId);
    const stored = track && getAnalysis(this.#db, key);
    if (track && stored) fillSuggestions(this.#db, track, stored.confidences, this.#model!.tags, this.#settings!);
  }

  #recordFailure(claim: ClaimedTrack, error: WireError, reason: FailureReason, attempts: number): void {
    markFailed(this.#db, claim.trackId, error);
    this.#errors += 1;
    this.#completed();
    if (this.#failures.length < this.#opts.maxFailuresKept) {
      this.#failures.push({ trackId: claim.trackId, path: claim.path, kind: error.kind, message: error.message, reason, attempts });
    }
  }

  #completed(): void {
    this.#completions.push(this.#activeNow());
    if (this.#completions.length > RATE_WINDOW) this.#completions.shift();
  }

  #activeNow(): number {
    return this.#activeMs + (this.#activeSince === null ? 0 : Date.now() - this.#activeSince);
  }

  #stopClock(): void {
    if (this.#activeSince !== null) this.#activeMs += Date.now() - this.#activeSince;
    this.#activeSince = null;
  }

  #setState(state: RunState): void {
    if (state === 'running') this.#activeSince ??= Date.now();
    else this.#stopClock();
    this.#state = state;
    // Running and paused are reported at once; an end (done, cancelled) only once the loop has
    // settled every job in flight and closed the pool, so "cancelled" means stopped, not stopping.
    if (state === 'running' || state === 'paused') this.#report(true);
    this.#wake?.();
  }

  /** Tracks per second over the recent completions (paused time excluded). */
  #rate(): number {
    const n = this.#completions.length;
    if (n === 0) return 0;
    const now = this.#activeNow();
    // Over a full window: completions between the first and now; at the start: since the clock began.
    const from = n >= RATE_WINDOW ? this.#completions[0]! : 0;
    const span = (now - from) / 1000;
    const count = n >= RATE_WINDOW ? n - 1 : n;
    return span > 0 ? count / span : 0;
  }

  #progress(): RunProgress {
    const done = this.#analysed + this.#errors;
    const rate = this.#rate();
    const left = Math.max(0, this.#total - done, this.#inFlight.size);
    const state: RunProgress['state'] =
      this.#state === 'paused' ? 'paused' : this.#state === 'cancelled' || this.#state === 'failed' ? 'cancelled' : this.#state === 'done' ? 'done' : 'running';
    return {
      done,
      // Tracks added to the queue during the run (a scan beside it) raise the total rather than overflow it.
      total: Math.max(this.#total, done + this.#inFlight.size),
      tracksPerSec: Math.round(rate * 100) / 100,
      etaSec: left === 0 ? 0 : rate > 0 ? Math.round(left / rate) : null,
      current: this.#current,
      errors: this.#errors,
      state,
    };
  }

  #report(force: boolean): void {
    const now = Date.now();
    if (!force && (this.#state !== 'running' || now - this.#lastEmit < this.#opts.progressIntervalMs)) return;
    this.#lastEmit = now;
    this.#emit(this.#progress());
  }
}
