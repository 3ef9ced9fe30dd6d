// The worker pool over real worker threads running the real protocol, with a fake instant model
// (fixtures/fake-worker.ts) so crashes, hangs and deaf workers can be staged by file name.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AnalysisPool, type JobOutcome } from '../../src-main/analysis/pool.ts';
import { workerThreads } from '../../src-main/analysis/worker-thread-port.ts';
import { tempDir } from '../helpers/tmp.ts';

const fakeWorker = new URL('./fixtures/fake-worker.ts', import.meta.url);

function pool(opts: { size?: number; timeoutMs?: number; graceMs?: number; modelDir?: string; env?: NodeJS.ProcessEnv } = {}): AnalysisPool {
  const spawnOpts: Parameters<typeof workerThreads>[0] = { script: fakeWorker, init: opts.modelDir ? { modelDir: opts.modelDir } : {} };
  if (opts.env) spawnOpts.env = opts.env;
  return new AnalysisPool({ size: opts.size ?? 2, spawn: workerThreads(spawnOpts), jobTimeoutMs: opts.timeoutMs ?? 10_000, graceMs: opts.graceMs ?? 500 });
}

const display = { display: true };

describe('analysis pool', () => {
  test('analyses every job across its workers and reports the model the workers loaded', async (t) => {
    const p = pool({ size: 2 });
    t.after(() => p.close());
    const model = await p.start();
    assert.equal(model.modelVersion, 'fake-1');
    while (!p.stats().every((w) => w.state === 'idle')) await new Promise((r) => setTimeout(r, 10));
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => p.submit(`/music/track-${i}.mp3`, display).outcome));
    assert.ok(outcomes.every((o) => o.status === 'done'));
    const workers = new Set(outcomes.map((o) => (o.status === 'done' ? o.worker : -1)));
    assert.deepEqual([...workers].sort(), [0, 1], 'both workers took jobs');
    const stats = p.stats();
    assert.equal(stats.reduce((s, w) => s + w.jobsDone, 0), 12);
    assert.ok(stats.every((w) => w.memory && w.memory.rss > 0));
    const first = outcomes[0] as Extract<JobOutcome, { status: 'done' }>;
    assert.equal(first.analysis.confidences.length, 4);
    assert.equal(first.analysis.embedding.length, 512);
    assert.equal(first.attempts, 1);
  });

  test('restarts a worker that died mid-job and retries the job once, which then succeeds', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'crash-once.mp3');
    writeFileSync(path, '');
    const p = pool({ size: 1 });
    t.after(() => p.close());
    await p.start();
    const o = await p.submit(path, display).outcome;
    assert.equal(o.status, 'done');
    assert.equal(o.attempts, 2);
    assert.equal(p.restarts, 1);
  });

  test('a worker that dies on a track every time fails that track after two attempts; the other jobs finish', async (t) => {
    const p = pool({ size: 1 });
    t.after(() => p.close());
    await p.start();
    const bad = p.submit('/music/crash-always.flac', display).outcome;
    const good = [1, 2, 3].map((i) => p.submit(`/music/fine-${i}.flac`, display).outcome);
    const o = await bad;
    assert.equal(o.status, 'failed');
    assert.equal(o.status === 'failed' && o.reason, 'worker-died');
    assert.equal(o.attempts, 2);
    assert.match(o.status === 'failed' ? o.error.message : '', /worker stopped while analysing \/music\/crash-always\.flac \(exit code 3\)/);
    for (const g of await Promise.all(good)) assert.equal(g.status, 'done');
  });

  test('kills a worker whose decoder hangs past the time limit, retries once, records the timeout and goes on', async (t) => {
    const p = pool({ size: 1, timeoutMs: 700, env: { ...process.env, BETTI_TEST_HANG_PATTERN: 'hangs-here' } });
    t.after(() => p.close());
    await p.start();
    const t0 = performance.now();
    const hung = p.submit('/music/hangs-here.mp3', display).outcome;
    const after = p.submit('/music/after.mp3', display).outcome;
    const o = await hung;
    assert.equal(o.status, 'failed');
    assert.ok(o.status === 'failed');
    assert.equal(o.reason, 'timeout');
    assert.equal(o.attempts, 2);
    assert.match(o.error.message, /did not finish within 0\.7 s; its worker was stopped/);
    assert.ok(performance.now() - t0 >= 1400, 'two full time limits elapsed');
    assert.equal((await after).status, 'done', 'the next track is analysed by a fresh worker');
    assert.equal(p.restarts, 2);
  });

  test('a corrupt file is retried once then reported with the decoder error; a missing file is not retried', async (t) => {
    const p = pool({ size: 1 });
    t.after(() => p.close());
    await p.start();
    const corrupt = await p.submit('/music/corrupt.ogg', display).outcome;
    assert.ok(corrupt.status === 'failed');
    assert.equal(corrupt.error.kind, 'decode-failed');
    assert.equal(corrupt.attempts, 2);
    assert.equal(corrupt.firstError?.kind, 'decode-failed');
    const missing = await p.submit('/music/short.ogg', display).outcome;
    assert.ok(missing.status === 'failed');
    assert.equal(missing.attempts, 1);
  });

  test('cancels a queued job at once and a running one by message', async (t) => {
    const p = pool({ size: 1 });
    t.after(() => p.close());
    await p.start();
    const running = p.submit('/music/slow-1.mp3', display);
    const queued = p.submit('/music/slow-2.mp3', display);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    p.cancel(queued.jobId);
    p.cancel(running.jobId);
    assert.deepEqual(await queued.outcome, { status: 'cancelled', attempts: 0 });
    assert.equal((await running.outcome).status, 'cancelled');
    assert.ok(performance.now() - t0 < 300, 'the worker answered the cancel before the job would have ended');
    assert.equal(p.restarts, 0);
    assert.equal((await p.submit('/music/after.mp3', display).outcome).status, 'done', 'the same worker takes the next job');
  });

  test('kills a worker that does not answer a cancel within the grace period', async (t) => {
    const p = pool({ size: 1, graceMs: 300 });
    t.after(() => p.close());
    await p.start();
    const job = p.submit('/music/deaf.mp3', display);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    p.cancel(job.jobId);
    assert.equal((await job.outcome).status, 'cancelled');
    const ms = performance.now() - t0;
    assert.ok(ms >= 250 && ms < 1500, `cancelled after ${ms.toFixed(0)} ms`);
    assert.equal((await p.submit('/music/next.mp3', display).outcome).status, 'done');
  });

  test('a model that cannot load fails start() with its error, and every job with it', async (t) => {
    const p = pool({ size: 2, modelDir: 'broken' });
    t.after(() => p.close());
    await assert.rejects(p.start(), (err: Error & { kind?: string }) => err.kind === 'model-invalid' && /model\.json: not JSON/.test(err.message));
    const o = await p.submit('/music/a.mp3', display).outcome;
    assert.ok(o.status === 'failed');
    assert.equal(o.error.kind, 'model-invalid');
  });

  test('close() shuts every worker down and later submissions are cancelled', async () => {
    const p = pool({ size: 2 });
    await p.start();
    const t0 = performance.now();
    await p.close();
    assert.ok(performance.now() - t0 < 1000);
    assert.ok(p.stats().every((w) => w.state === 'gone'));
    assert.equal((await p.submit('/music/a.mp3', display).outcome).status, 'cancelled');
  });
});
