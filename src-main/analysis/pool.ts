// The analysis worker pool (main side). It sees each worker only as a port (worker-port.ts), so the
// same pool drives worker threads and Electron utility processes. It hands one job at a time to
// each worker, restarts a worker that died, kills a worker whose job runs past the time limit,
// and retries a failed job once (on a fresh worker when the old one died). Cancelling is a
// message; a worker that does not answer it within the grace period is killed.
import type { ErrorKind, WireError } from '../api/errors.ts';
import { BettiError, fromWireError } from '../api/errors.ts';
import type { AnalysisMessage, AnalysisStage, AnalyzeOptions, ModelIdentity, TrackAnalysis, WorkerMemory } from './protocol.ts';
import { isAnalysisMessage } from './protocol.ts';
import type { SpawnWorker, WorkerExit, WorkerPort } from './worker-port.ts';

/** Why a job failed, beyond the error itself. */
export type FailureReason = 'error' | 'timeout' | 'worker-died';

export type JobOutcome =
  | { status: 'done'; analysis: TrackAnalysis; memory: WorkerMemory; attempts: number; worker: number }
  | { status: 'failed'; error: WireError; reason: FailureReason; attempts: number; firstError?: WireError }
  | { status: 'cancelled'; attempts: number };

export interface PoolOptions {
  size: number;
  spawn: SpawnWorker;
  /** A job running longer than this is killed with its worker (and retried once). */
  jobTimeoutMs: number;
  /** How long a worker has to answer `cancel` or `shutdown` before it is killed. */
  graceMs?: number;
  /** Attempts per job, the first included (default 2: one retry). */
  maxAttempts?: number;
  /** Worker logs and the pool's own notes (a worker restarted, killed…). */
  onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface JobHooks {
  onStage?: (stage: AnalysisStage) => void;
}

/** Errors that the same input would give again at once: not worth a retry. */
const PERMANENT: ReadonlySet<ErrorKind> = new Set(['cancelled', 'not-found', 'invalid-request', 'version-mismatch', 'model-invalid']);

interface Job {
  readonly id: number;
  readonly path: string;
  readonly options: AnalyzeOptions;
  readonly hooks: JobHooks;
  readonly resolve: (o: JobOutcome) => void;
  attempts: number;
  firstError?: WireError;
  cancelled: boolean;
  settled: boolean;
}

interface Slot {
  readonly index: number;
  port: WorkerPort;
  state: 'starting' | 'idle' | 'busy' | 'stopping' | 'gone';
  job?: Job;
  timer?: NodeJS.Timeout;
  graceTimer?: NodeJS.Timeout;
  /** Why the pool is killing this worker: the failure its job gets when it is gone. */
  killFor?: { error: WireError; reason: FailureReason };
  jobsDone: number;
  memory?: WorkerMemory;
  /** Resolves when the current worker of this slot is gone. */
  gone: Promise<void>;
  markGone: () => void;
}

export interface WorkerStats {
  index: number;
  state: Slot['state'];
  jobsDone: number;
  memory: WorkerMemory | null;
}

export class AnalysisPool {
  readonly size: number;
  readonly #spawn: SpawnWorker;
  readonly #timeoutMs: number;
  readonly #graceMs: number;
  readonly #maxAttempts: number;
  readonly #log: NonNullable<PoolOptions['onLog']>;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #jobs = new Map<number, Job>();
  #nextJobId = 1;
  #identity: ModelIdentity | undefined;
  #fatal: BettiError | undefined;
  #closing = false;
  /** Workers that died before they were ready since the last ready one: the model cannot load. */
  #startFailures = 0;
  #restarts = 0;
  #readyWaiters: { resolve: (m: ModelIdentity) => void; reject: (e: Error) => void }[] = [];

  constructor(opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new BettiError('invalid-request', `the pool size must be a whole number ≥ 1, got ${opts.size}`);
    this.size = opts.size;
    this.#spawn = opts.spawn;
    this.#timeoutMs = opts.jobTimeoutMs;
    this.#graceMs = opts.graceMs ?? 1000;
    this.#maxAttempts = opts.maxAttempts ?? 2;
    this.#log = opts.onLog ?? (() => {});
  }

  /** Starts every worker; resolves with the model the first ready worker loaded. */
  start(): Promise<ModelIdentity> {
    if (this.#slots.length === 0) for (let i = 0; i < this.size; i++) this.#slots.push(this.#startSlot(i));
    return this.ready();
  }

  ready(): Promise<ModelIdentity> {
    if (this.#identity) return Promise.resolve(this.#identity);
    if (this.#fatal) return Promise.reject(this.#fatal);
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  /** The error that stopped the whole pool (no worker can start), if any. */
  get fatal(): BettiError | undefined {
    return this.#fatal;
  }

  get identity(): ModelIdentity | undefined {
    return this.#identity;
  }

  /** How many workers were started again after one died or was killed. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.#jobs.size;
  }

  stats(): WorkerStats[] {
    return this.#slots.map((s) => ({ index: s.index, state: s.state, jobsDone: s.jobsDone, memory: s.memory ?? null }));
  }

  /** Queues one track; the outcome never rejects (failures are outcomes). */
  submit(path: string, options: AnalyzeOptions, hooks: JobHooks = {}): { jobId: number; outcome: Promise<JobOutcome> } {
    const id = this.#nextJobId++;
    let resolve!: (o: JobOutcome) => void;
    const outcome = new Promise<JobOutcome>((r) => (resolve = r));
    const job: Job = { id, path, options, hooks, resolve, attempts: 0, cancelled: false, settled: false };
    this.#jobs.set(id, job);
    if (this.#fatal) {
      this.#settle(job, { status: 'failed', error: this.#fatal.toWire(), reason: 'error', attempts: 0 });
    } else if (this.#closing) {
      this.#settle(job, { status: 'cancelled', attempts: 0 });
    } else {
      this.#queue.push(job);
      this.#pump();
    }
    return { jobId: id, outcome };
  }

  /** Cancels a job: a queued one at once, a running one by message (its worker is killed if it does not answer). */
  cancel(jobId: number): void {
    const job = this.#jobs.get(jobId);
    if (!job || job.settled || job.cancelled) return;
    job.cancelled = true;
    const q = this.#queue.indexOf(job);
    if (q >= 0) {
      this.#queue.splice(q, 1);
      this.#settle(job, { status: 'cancelled', attempts: job.attempts });
      return;
    }
    const slot = this.#slots.find((s) => s.job === job);
    if (!slot) return;
    slot.port.postMessage({ type: 'cancel', jobId });
    slot.graceTimer = setTimeout(() => {
      this.#log('warn', `worker ${slot.index} did not answer a cancel within ${this.#graceMs} ms; stopping it`);
      this.#kill(slot, { error: { kind: 'cancelled', message: `analysis of ${job.path} was cancelled`, path: job.path }, reason: 'error' });
    }, this.#graceMs);
  }

  cancelAll(): void {
    for (const id of [...this.#jobs.keys()]) this.cancel(id);
  }

  /** Cancels everything, asks each worker to shut down, and kills those that do not exit in time. */
  async close(): Promise<void> {
    this.#closing = true;
    this.cancelAll();
    const exits = this.#slots.map((slot) => this.#shutdown(slot));
    await Promise.all(exits);
    for (const w of this.#readyWaiters.splice(0)) w.reject(new BettiError('cancelled', 'the analysis pool was closed before a worker was ready'));
  }

  #startSlot(index: number, existing?: Slot): Slot {
    const port = this.#spawn(index);
    let markGone!: () => void;
    const gone = new Promise<void>((resolve) => (markGone = resolve));
    const slot: Slot = existing ?? { index, port, state: 'starting', jobsDone: 0, gone, markGone };
    slot.port = port;
    slot.state = 'starting';
    slot.gone = gone;
    slot.markGone = markGone;
    delete slot.killFor;
    delete slot.job;
    port.onMessage((raw) => this.#onMessage(slot, port, raw));
    port.onExit((exit) => this.#onExit(slot, port, exit));
    return slot;
  }

  #onMessage(slot: Slot, port: WorkerPort, raw: unknown): void {
    if (slot.port !== port) return; // a message from a worker already replaced
    if (!isAnalysisMessage(raw)) {
      this.#log('error', `worker ${slot.index} sent a malformed message: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      return;
    }
    const msg: AnalysisMessage = raw;
    switch (msg.type) {
      case 'ready':
        return this.#onReady(slot, msg.model);
      case 'log':
        return this.#log(msg.level, `worker ${slot.index}${msg.jobId ? ` job ${msg.jobId}` : ''}: ${msg.message}`);
      case 'progress': {
        if (slot.job?.id === msg.jobId) slot.job.hooks.onStage?.(msg.stage);
        return;
      }
      case 'result': {
        const job = this.#takeJob(slot, msg.jobId);
        if (!job) return;
        slot.jobsDone += 1;
        slot.memory = msg.memory;
        this.#settle(job, { status: 'done', analysis: msg.analysis, memory: msg.memory, attempts: job.attempts, worker: slot.index });
        this.#pump();
        return;
      }
      case 'error': {
        if (msg.jobId === 0) return this.#onStartFailure(slot, msg.error);
        const job = this.#takeJob(slot, msg.jobId);
        if (!job) return;
        this.#failed(job, msg.error, 'error');
        this.#pump();
        return;
      }
    }
  }

  #onReady(slot: Slot, model: ModelIdentity): void {
    if (slot.state !== 'starting') return;
    if (this.#identity && (this.#identity.modelVersion !== model.modelVersion || this.#identity.specVersion !== model.specVersion)) {
      this.#fail(
        new BettiError('version-mismatch', `worker ${slot.index} loaded model ${model.modelVersion} (${model.specVersion}), but the pool runs ${this.#identity.modelVersion} (${this.#identity.specVersion})`, {
          hint: 'The model folder changed during the run; run the analysis again.',
        }),
      );
      return;
    }
    this.#identity ??= model;
    this.#startFailures = 0;
    if (this.#closing) return; // close() has already asked it to shut down
    slot.state = 'idle';
    for (const w of this.#readyWaiters.splice(0)) w.resolve(model);
    this.#pump();
  }

  /** A worker said it cannot start (its model did not load): nothing can run; fail everything. */
  #onStartFailure(slot: Slot, error: WireError): void {
    this.#log('error', `worker ${slot.index} could not start: ${error.message}`);
    this.#fail(fromWireError(error));
  }

  #fail(err: BettiError): void {
    if (this.#fatal) return;
    this.#fatal = err;
    for (const w of this.#readyWaiters.splice(0)) w.reject(err);
    for (const job of this.#queue.splice(0)) this.#settle(job, { status: 'failed', error: err.toWire(), reason: 'error', attempts: job.attempts });
    for (const slot of this.#slots) void this.#shutdown(slot);
  }

  #onExit(slot: Slot, port: WorkerPort, exit: WorkerExit): void {
    if (slot.port !== port) return;
    const wasStarting = slot.state === 'starting';
    slot.state = 'gone';
    slot.markGone();
    this.#clearTimers(slot);
    const job = slot.job;
    delete slot.job;
    if (job && !job.settled) {
      if (slot.killFor) {
        this.#failed(job, slot.killFor.error, slot.killFor.reason);
      } else {
        const how = exit.message ? `: ${exit.message}` : exit.code !== null ? ` (exit code ${exit.code})` : '';
        this.#failed(job, { kind: 'internal', message: `the analysis worker stopped while analysing ${job.path}${how}`, path: job.path }, 'worker-died');
      }
    }
    if (this.#closing || this.#fatal) return;
    if (wasStarting && exit.reason !== 'killed') {
      this.#startFailures += 1;
      this.#log('error', `worker ${slot.index} exited before it was ready (${exit.message ?? `exit code ${exit.code}`})`);
      if (this.#startFailures >= 2 || !this.#identity) {
        this.#fail(
          new BettiError('internal', `the analysis worker exits before it is ready (${exit.message ?? `exit code ${exit.code}`})`, {
            hint: 'Run with BETTI_DEBUG=1 for details; check that the model in resources/model loads with `betti predict`.',
          }),
        );
        return;
      }
    }
    this.#pump();
  }

  /** Starts gone workers again while there is work, and gives idle workers the next jobs. */
  #pump(): void {
    if (this.#closing || this.#fatal) return;
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.state === 'gone') {
        this.#restarts += 1;
        this.#log('info', `starting worker ${slot.index} again`);
        this.#startSlot(slot.index, slot);
        continue;
      }
      if (slot.state !== 'idle') continue;
      const job = this.#queue.shift()!;
      job.attempts += 1;
      slot.state = 'busy';
      slot.job = job;
      slot.port.postMessage({ type: 'analyze', jobId: job.id, path: job.path, options: job.options });
      slot.timer = setTimeout(() => {
        this.#log('warn', `worker ${slot.index}: ${job.path} ran past ${this.#timeoutMs} ms; stopping the worker`);
        this.#kill(slot, {
          error: { kind: 'internal', message: `analysis of ${job.path} did not finish within ${(this.#timeoutMs / 1000).toFixed(1)} s; its worker was stopped`, path: job.path },
          reason: 'timeout',
        });
      }, this.#timeoutMs);
    }
  }

  #takeJob(slot: Slot, jobId: number): Job | undefined {
    const job = slot.job;
    if (!job || job.id !== jobId) return undefined;
    this.#clearTimers(slot);
    delete slot.job;
    if (slot.state === 'busy') slot.state = 'idle';
    return job;
  }

  #failed(job: Job, error: WireError, reason: FailureReason): void {
    if (job.cancelled || error.kind === 'cancelled') {
      this.#settle(job, { status: 'cancelled', attempts: job.attempts });
      return;
    }
    if (job.attempts < this.#maxAttempts && !PERMANENT.has(error.kind) && !this.#closing && !this.#fatal) {
      job.firstError ??= error;
      this.#log('info', `retrying ${job.path} after: ${error.message}`);
      this.#queue.unshift(job);
      return;
    }
    const outcome: JobOutcome = { status: 'failed', error, reason, attempts: job.attempts };
    if (job.firstError) outcome.firstError = job.firstError;
    this.#settle(job, outcome);
  }

  #settle(job: Job, outcome: JobOutcome): void {
    if (job.settled) return;
    job.settled = true;
    this.#jobs.delete(job.id);
    job.resolve(outcome);
  }

  #clearTimers(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.graceTimer) clearTimeout(slot.graceTimer);
    delete slot.timer;
    delete slot.graceTimer;
  }

  #kill(slot: Slot, why: { error: WireError; reason: FailureReason }): void {
    if (slot.state === 'gone') return;
    slot.killFor = why;
    this.#clearTimers(slot);
    slot.port.kill().catch((err: unknown) => this.#log('error', `stopping worker ${slot.index} failed: ${(err as Error).message}`));
  }

  async #shutdown(slot: Slot): Promise<void> {
    if (slot.state === 'gone') return;
    const port = slot.port;
    const gone = slot.gone;
    if (slot.state !== 'starting') slot.state = 'stopping';
    port.postMessage({ type: 'shutdown', jobId: 0 });
    const timer = setTimeout(() => {
      if (slot.port === port && slot.state !== 'gone') {
        this.#log('warn', `worker ${slot.index} did not exit within ${this.#graceMs} ms of shutdown; stopping it`);
        void port.kill();
      }
    }, this.#graceMs);
    await gone;
    clearTimeout(timer);
  }
}
