import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import type * as DemoModule from '../../src-renderer/features/library/demo.svelte.ts';
import { fakeClient } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';

const { DemoState } = await importRenderer<typeof DemoModule>('features/library/demo.svelte.ts');

const opened: ResponseOf<'app.openDemo'> = {
  folder: '/data/Betti/Demo library',
  copied: 6,
  scan: { scanned: 5, new: 5, changed: 0, moved: 0, missing: 0, errors: 0, unchanged: 0, refreshed: 0, durationMs: 40, cancelled: false, errorFiles: [] },
};

describe('DemoState', () => {
  it('opens the demo library once, even when asked twice while it opens', async () => {
    const f = fakeClient({ 'app.openDemo': () => opened });
    const demo = new DemoState(f.client);
    const first = demo.open();
    assert.equal(demo.busy, true);
    assert.equal(await demo.open(), null, 'a second click while opening does nothing');
    assert.deepEqual(await first, opened);
    assert.deepEqual(demo.opened, opened);
    assert.equal(demo.busy, false);
    assert.equal(f.callsTo('app.openDemo').length, 1);
  });

  it('shows why the demo could not open, with the next step', async () => {
    const f = fakeClient({
      'app.openDemo': () => {
        throw new BettiError('not-found', 'The demo library is missing from this installation (/opt/betti/resources/demo).', { hint: 'Reinstall Betti, or add a folder of your own music instead.' });
      },
    });
    const demo = new DemoState(f.client);
    assert.equal(await demo.open(), null);
    assert.equal(demo.error?.title, 'Not found');
    assert.match(demo.error?.hint ?? '', /Reinstall Betti/);
    assert.equal(demo.busy, false);
  });
});
