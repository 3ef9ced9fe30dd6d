// The desktop app's analysis workers as utility processes: the pool drives the bundled worker
// entry (out/main/analysis-worker.js, built here by scripts/build-app.js) through
// utility-process-port.ts, in a separate process standing in for Electron's utility process. A
// real model analyses a real clip, so the bundle must find the model and the tfjs wasm files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { AnalysisPool } from '../../src-main/analysis/pool.ts';
import type { WorkerExit } from '../../src-main/analysis/worker-port.ts';
import { ANALYSIS_WORKER_BUNDLE, DEMO_DIR, OUT_DIR } from '../../src-main/app/bundle-layout.ts';
import { childEnv, spawnUtilityProcess, utilityProcesses, utilitySidePort, WORKER_INIT_ENV, workerInitFromEnv } from '../../src-main/app/utility-process-port.ts';
import { repoRoot } from '../helpers/cli.ts';
import { fakeUtilityProcess } from './fixtures/fake-utility-process.ts';

const clip = join(repoRoot, DEMO_DIR, '03-drum-groove.ogg');

describe('analysis workers as utility processes', () => {
  // Built inside the repository (test-output/ is ignored): the bundle resolves packages and the
  // model by walking up from where it sits, as it does from out/main/ in the app.
  const buildRoot = join(repoRoot, 'test-output', `utility-port-${process.pid}`);
  let entry = '';

  before(async () => {
    mkdirSync(buildRoot, { recursive: true });
    const { buildApp } = (await import(pathToFileURL(join(repoRoot, 'scripts/build-app.js')).href)) as {
      buildApp: (o: { outDir: string; renderer: boolean }) => Promise<{ analysisWorker: string }>;
    };
    entry = (await buildApp({ outDir: join(buildRoot, OUT_DIR), renderer: false })).analysisWorker;
  });
  after(() => rmSync(buildRoot, { recursive: true, force: true }));

  test('the build writes the worker entry as its own bundle where the app forks it', () => {
    assert.ok(entry.endsWith(ANALYSIS_WORKER_BUNDLE.split('/').join(process.platform === 'win32' ? '\\' : '/')), entry);
    assert.ok(existsSync(entry));
  });

  test('a real analysis goes through the pool, the port and the bundled entry, on a native or wasm backend', async (t) => {
    const utilityProcess = fakeUtilityProcess();
    const pool = new AnalysisPool({ size: 1, spawn: utilityProcesses({ utilityProcess, entry, init: { architecture: 'pcnn' } }), jobTimeoutMs: 120_000, graceMs: 5_000 });
    t.after(() => pool.close());
    const model = await pool.start();
    assert.equal(model.architecture, 'pcnn');
    assert.notEqual(model.backend, 'cpu', 'tfjs-node or wasm was found from the bundle (cpu means the wasm files were not)');
    const outcome = await pool.submit(clip, { display: false, maxWindows: 1 }).outcome;
    assert.equal(outcome.status, 'done', JSON.stringify(outcome).slice(0, 400));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.analysis.confidences.length, model.tags.length);
    assert.ok([...outcome.analysis.confidences].every((c) => c >= 0 && c <= 1));
    const [fork] = utilityProcess.forks;
    assert.equal(fork?.modulePath, entry);
    assert.equal(fork?.serviceName, 'betti-analysis-0');
    assert.equal(fork?.stdio, 'pipe');
    assert.deepEqual(JSON.parse(fork?.env[WORKER_INIT_ENV] ?? ''), { architecture: 'pcnn' });
    await pool.close();
    assert.deepEqual(utilityProcess.exits, [0], 'the worker exited by itself after shutdown');
  });

  test('a worker whose model cannot load says why, and the pool start fails with it', async (t) => {
    const utilityProcess = fakeUtilityProcess();
    const missing = join(buildRoot, 'no-model-here');
    const pool = new AnalysisPool({ size: 1, spawn: utilityProcesses({ utilityProcess, entry, init: { modelDir: missing } }), jobTimeoutMs: 10_000, graceMs: 2_000 });
    t.after(() => pool.close());
    await assert.rejects(pool.start(), (err: Error) => err.message.includes(join(missing, 'model.json')) && /missing/.test(err.message));
  });

  test('kill() stops the process and reports it as killed', async () => {
    const utilityProcess = fakeUtilityProcess();
    const port = spawnUtilityProcess({ utilityProcess, entry }, 0);
    const exit = new Promise<WorkerExit>((resolve) => port.onExit(resolve));
    const ready = new Promise<void>((resolve) => port.onMessage((m) => (m as { type?: string }).type === 'ready' && resolve()));
    await ready;
    await port.kill();
    assert.equal((await exit).reason, 'killed');
  });
});

describe('utility process port pieces', () => {
  test('the child environment is the parent one plus the WorkerInit as JSON', () => {
    const env = childEnv({ PATH: '/bin', UNSET: undefined }, { modelDir: '/m', backend: 'wasm' });
    assert.deepEqual(env, { PATH: '/bin', [WORKER_INIT_ENV]: '{"modelDir":"/m","backend":"wasm"}' });
    assert.deepEqual(workerInitFromEnv(env), { modelDir: '/m', backend: 'wasm' });
    assert.deepEqual(workerInitFromEnv({}), {});
    assert.throws(() => workerInitFromEnv({ [WORKER_INIT_ENV]: '{oops' }), /BETTI_WORKER_INIT is not valid JSON/);
  });

  test('the child side unwraps message events, and close() exits the process after the grace period', async () => {
    const listeners: ((e: { data: unknown }) => void)[] = [];
    const sent: unknown[] = [];
    let exitCode: number | undefined;
    const port = utilitySidePort(
      {
        on: (_event, l) => listeners.push(l),
        removeAllListeners: () => listeners.splice(0),
        postMessage: (m) => sent.push(m),
      },
      (code) => (exitCode = code),
    );
    const got: unknown[] = [];
    port.onMessage((m) => got.push(m));
    listeners[0]?.({ data: { type: 'shutdown', jobId: 0 } });
    assert.deepEqual(got, [{ type: 'shutdown', jobId: 0 }]);
    port.postMessage({ type: 'log', jobId: 0, level: 'info', message: 'bye' });
    assert.equal(sent.length, 1);
    port.close();
    assert.equal(listeners.length, 0, 'no more requests are taken');
    assert.equal(exitCode, undefined, 'not at once: the last messages may still be leaving');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(exitCode, 0);
  });
});
