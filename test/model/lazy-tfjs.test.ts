// tfjs (and the model code) stay out of what `betti --help` and every other command load: they are
// imported only when a model.* handler runs (DESIGN.md: heavy modules load lazily).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const loadedTensorflow = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@tensorflow'));

describe('lazy tfjs', () => {
  it('is not loaded by the CLI, the contract or the service until a model is used', async () => {
    await import('../../src-main/cli/main.ts');
    const { createService } = await import('../../src-main/api/service.ts');
    const { createContext } = await import('../../src-main/api/context.ts');
    const { EventBus } = await import('../../src-main/api/events.ts');
    createService(createContext({ dbPath: ':memory:', bus: new EventBus() }));
    assert.deepEqual(loadedTensorflow(), []);
    // The check itself sees tfjs once it is loaded.
    const { loadTf } = await import('../../src-main/model/load.ts');
    await loadTf();
    assert.ok(loadedTensorflow().length > 0);
  });
});
