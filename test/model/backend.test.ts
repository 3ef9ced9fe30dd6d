// The tfjs backend choice (tfjs-node → wasm → cpu, and which one and why) with an injected importer
// and a fake tfjs, so every branch runs here although tfjs-node is not installed; then the real
// choice on this machine, and where the wasm binaries and the model are found, packaged or not.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { backendFromEnv, chooseBackend, describeBackend, type Importer, type TfBackendApi } from '../../src-main/model/backend.ts';
import { BackendUnavailableError } from '../../src-main/model/errors.ts';
import { defaultModelDir, unpackedPath, wasmDir } from '../../src-main/model/install-paths.ts';
import { loadTf } from '../../src-main/model/load.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A tfjs stand-in: `works` lists the tfjs backend names whose initialisation succeeds. */
function fakeTf(works: string[]): TfBackendApi & { set: string[] } {
  let current = '';
  const set: string[] = [];
  return {
    set,
    getBackend: () => current,
    setBackend: async (name: string) => {
      set.push(name);
      if (!works.includes(name)) return false;
      current = name;
      return true;
    },
  };
}

function importer(installed: string[], calls: string[] = [], wasmPaths: string[] = []): Importer {
  return async (specifier) => {
    calls.push(specifier);
    if (!installed.includes(specifier)) throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    return specifier === '@tensorflow/tfjs-backend-wasm' ? { setWasmPaths: (p: string) => wasmPaths.push(p) } : {};
  };
}

describe('choosing the tfjs backend', () => {
  it('takes tfjs-node when it is installed', async () => {
    const tf = fakeTf(['tensorflow', 'wasm', 'cpu']);
    const choice = await chooseBackend(tf, { importer: importer(['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']) });
    assert.deepEqual(choice, { backend: 'tfjs-node', passedOver: [] });
    assert.equal(tf.getBackend(), 'tensorflow');
  });

  it('falls back to wasm when tfjs-node is not installed, sets the wasm path first, and says why', async () => {
    const tf = fakeTf(['wasm', 'cpu']);
    const calls: string[] = [];
    const paths: string[] = [];
    const choice = await chooseBackend(tf, { importer: importer(['@tensorflow/tfjs-backend-wasm'], calls, paths), wasmDir: '/opt/betti/wasm/' });
    assert.equal(choice.backend, 'wasm');
    assert.deepEqual(choice.passedOver, [{ backend: 'tfjs-node', reason: 'the package is not installed' }]);
    assert.deepEqual(calls, ['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    assert.deepEqual(paths, ['/opt/betti/wasm/']);
    assert.equal(describeBackend(choice), 'wasm (tfjs-node: the package is not installed)');
  });

  it('falls back to cpu when the wasm backend does not initialise', async () => {
    const tf = fakeTf(['cpu']);
    const choice = await chooseBackend(tf, { importer: importer(['@tensorflow/tfjs-backend-wasm']) });
    assert.equal(choice.backend, 'cpu');
    assert.deepEqual(
      choice.passedOver.map((p) => p.backend),
      ['tfjs-node', 'wasm'],
    );
    assert.equal(choice.passedOver[1]!.reason, 'the backend failed to initialise');
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('passes over a tfjs-node that loads but registers no backend (another tfjs-core copy)', async () => {
    const tf: TfBackendApi = {
      getBackend: () => 'cpu',
      setBackend: async (name) => {
        if (name === 'tensorflow') throw new Error("Backend name 'tensorflow' not found in registry");
        return true;
      },
    };
    const choice = await chooseBackend(tf, { importer: importer(['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']) });
    assert.equal(choice.backend, 'wasm');
    assert.match(choice.passedOver[0]!.reason, /not found in registry/);
  });

  it('refuses a requested backend that cannot run, with a hint', async () => {
    const tf = fakeTf(['wasm', 'cpu']);
    await assert.rejects(chooseBackend(tf, { requested: 'tfjs-node', importer: importer([]) }), (err: unknown) => {
      assert.ok(err instanceof BackendUnavailableError);
      assert.match(err.message, /tfjs-node tfjs backend is not available: the package is not installed/);
      assert.match(err.hint ?? '', /npm i @tensorflow\/tfjs-node/);
      return true;
    });
  });

  it('reads BETTI_TFJS_BACKEND and refuses an unknown name', () => {
    assert.equal(backendFromEnv({}), undefined);
    assert.equal(backendFromEnv({ BETTI_TFJS_BACKEND: 'auto' }), undefined);
    assert.equal(backendFromEnv({ BETTI_TFJS_BACKEND: 'cpu' }), 'cpu');
    assert.throws(() => backendFromEnv({ BETTI_TFJS_BACKEND: 'webgl' }), (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request' && /webgl/.test(err.message));
  });

  it('picks wasm on this machine (no tfjs-node here) with the real importer', async () => {
    const tf = await loadTf();
    const choice = await chooseBackend(tf);
    assert.ok(choice.backend === 'wasm' || choice.backend === 'tfjs-node', describeBackend(choice));
    assert.equal(tf.getBackend(), choice.backend === 'wasm' ? 'wasm' : 'tensorflow');
  });
});

describe('install paths', () => {
  it('finds the wasm binaries in the tfjs-backend-wasm package', () => {
    const dir = wasmDir();
    assert.ok(dir.endsWith('/'), 'a prefix for setWasmPaths');
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) assert.ok(existsSync(join(dir, f)), `${dir}${f}`);
  });

  it('maps paths inside app.asar to app.asar.unpacked, and leaves others alone', () => {
    assert.equal(unpackedPath('/opt/Betti/resources/app.asar/node_modules/x/dist', '/'), '/opt/Betti/resources/app.asar.unpacked/node_modules/x/dist');
    assert.equal(unpackedPath('C:\\Betti\\resources\\app.asar\\resources\\model', '\\'), 'C:\\Betti\\resources\\app.asar.unpacked\\resources\\model');
    assert.equal(unpackedPath('/work/main/node_modules/x', '/'), '/work/main/node_modules/x');
  });

  it('finds the model of a packaged app beside its asar archive, and honours BETTI_MODEL_DIR', (t) => {
    const root = tempDir(t);
    const model = join(root, 'resources', 'app.asar.unpacked', 'resources', 'model');
    mkdirSync(model, { recursive: true });
    writeFileSync(join(model, 'model.json'), '{}');
    // Code bundled into app.asar/out/main/ walks up to app.asar/, then reads the unpacked copy.
    assert.equal(defaultModelDir({}, join(root, 'resources', 'app.asar', 'out', 'main')), model);
    assert.equal(defaultModelDir({ BETTI_MODEL_DIR: '/srv/model' }), '/srv/model');
  });
});
