import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { fakeClient, settle } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';
import type * as ScanModule from '../../src-renderer/features/library/scan.svelte.ts';

const { ScanState, parseFolders } = await importRenderer<typeof ScanModule>('features/library/scan.svelte.ts');

const summary: ResponseOf<'library.scan'> = { scanned: 3, new: 3, changed: 0, moved: 0, missing: 0, errors: 0, unchanged: 0, refreshed: 0, durationMs: 12, cancelled: false, errorFiles: [] };

describe('ScanState', () => {
  it('reads folders one per line or separated by semicolons, without blanks or repeats', () => {
    assert.deepEqual(parseFolders(' /music ;\n/more music\n\n/music; '), ['/music', '/more music']);
  });

  it('scans the typed folders and keeps the summary', async () => {
    const f = fakeClient({ 'library.scan': () => summary });
    const scan = new ScanState(f.client);
    assert.equal(scan.canScan, false);
    scan.folders = '/a; /b';
    assert.equal(scan.canScan, true);
    assert.deepEqual(await scan.start(), summary);
    assert.deepEqual(f.callsTo('library.scan'), [{ folders: ['/a', '/b'] }]);
    assert.equal(scan.running, false);
  });

  it('shows progress with time left from the reading rate, and cancels', async () => {
    let finish: (s: typeof summary) => void = () => undefined;
    const f = fakeClient({ 'library.scan': () => new Promise((r) => (finish = r)), 'library.cancelScan': () => ({ cancelled: true }) });
    let now = 0;
    const scan = new ScanState(f.client, () => now);
    scan.folders = '/a';
    const running = scan.start();
    await settle();
    assert.equal(scan.running, true);
    f.emit('scan.progress', { done: 50, total: 0, path: '/a/x.mp3', phase: 'walk' });
    assert.equal(scan.fraction, null, 'no fraction while the walk is counting');
    f.emit('scan.progress', { done: 0, total: 100, path: '/a/x.mp3', phase: 'read' });
    now = 1000;
    f.emit('scan.progress', { done: 10, total: 100, path: '/a/y.mp3', phase: 'read' });
    assert.equal(scan.fraction, 0.1);
    assert.ok(Math.abs(scan.secondsLeft! - 9) < 1e-9, `${scan.secondsLeft} s left`);
    await scan.cancel();
    assert.equal(scan.cancelling, true);
    assert.equal(f.callsTo('library.cancelScan').length, 1);
    finish({ ...summary, cancelled: true });
    await running;
    assert.equal(scan.summary?.cancelled, true);
    assert.equal(scan.cancelling, false);
  });

  it('ignores progress of a scan it did not start', () => {
    const f = fakeClient({});
    const scan = new ScanState(f.client);
    f.emit('scan.progress', { done: 1, total: 2, path: '/x', phase: 'read' });
    assert.equal(scan.progress, null);
  });

  it('says in words why a scan failed', async () => {
    const f = fakeClient({
      'library.scan': () => {
        throw new BettiError('busy', 'A scan is already running; only one scan runs at a time.', { hint: 'Wait for it to finish.' });
      },
    });
    const scan = new ScanState(f.client);
    scan.folders = '/a';
    assert.equal(await scan.start(), null);
    assert.equal(scan.error?.title, 'Busy');
    assert.equal(scan.error?.hint, 'Wait for it to finish.');
  });
});
