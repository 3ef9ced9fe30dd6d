// Add Folder…, Rescan and dropped folders, with real folders on disk and a recording scanner.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { createFolderActions } from '../../src-main/app/folder-actions.ts';
import { AppStateStore, defaultAppState, STATE_FILE_NAME } from '../../src-main/app/state.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Folders {
  dir: string;
  music: string;
  more: string;
}

function setup(t: TestContext, opts: { picked?: (f: Folders) => string[]; lastFolders?: (f: Folders) => string[]; scanFails?: BettiError } = {}) {
  const dir = tempDir(t);
  const music = join(dir, 'Music');
  const more = join(dir, 'More');
  mkdirSync(music);
  mkdirSync(more);
  writeFileSync(join(dir, 'song.mp3'), 'not really');
  const folders = { dir, music, more };
  const store = new AppStateStore(join(dir, STATE_FILE_NAME), { ...defaultAppState(), lastFolders: opts.lastFolders?.(folders) ?? [] }, { delayMs: 10_000 });
  const scans: string[][] = [];
  const reports: BettiError[] = [];
  const pickerDefaults: (string | undefined)[] = [];
  const actions = createFolderActions({
    pickFolders: async (defaultPath) => {
      pickerDefaults.push(defaultPath);
      return opts.picked?.(folders) ?? [];
    },
    isDirectory: async (p) => (await stat(p).catch(() => undefined))?.isDirectory() ?? false,
    scan: async (folders) => {
      scans.push(folders);
      if (opts.scanFails) throw opts.scanFails;
    },
    store,
    report: (e) => reports.push(e),
  });
  t.after(() => store.flush());
  return { dir, music, more, store, scans, reports, pickerDefaults, actions };
}

describe('File → Add Folder…', () => {
  it('scans the folders picked and remembers them for Rescan', async (t) => {
    const s = setup(t, { picked: (f) => [f.music, f.more], lastFolders: () => ['/old'] });
    assert.deepEqual(await s.actions.addFolderFromPicker(), [s.music, s.more]);
    assert.deepEqual(s.scans, [[s.music, s.more]]);
    assert.deepEqual(s.store.state.lastFolders, [s.music, s.more, '/old']);
    assert.deepEqual(s.pickerDefaults, ['/old'], 'the picker opens at the folder added last');
  });

  it('does nothing when the picker is cancelled', async (t) => {
    const s = setup(t, { picked: () => [] });
    assert.deepEqual(await s.actions.addFolderFromPicker(), []);
    assert.deepEqual(s.scans, []);
    assert.deepEqual(s.reports, []);
  });

  it('reports a failed scan instead of rejecting, and still remembers the folder', async (t) => {
    const busy = new BettiError('busy', 'A scan is already running', { hint: 'Wait for it to finish' });
    const s = setup(t, { picked: (f) => [f.music], scanFails: busy });
    assert.deepEqual(await s.actions.addFolderFromPicker(), []);
    assert.deepEqual(s.reports, [busy]);
    assert.deepEqual(s.store.state.lastFolders, [s.music]);
  });
});

describe('folders dropped on the window', () => {
  it('scans the dropped folders', async (t) => {
    const s = setup(t);
    assert.deepEqual(await s.actions.addDroppedPaths([s.music]), [s.music]);
    assert.deepEqual(s.scans, [[s.music]]);
    assert.deepEqual(s.store.state.lastFolders, [s.music]);
  });

  it('scans the folders among dropped items and says which were skipped', async (t) => {
    const s = setup(t);
    const file = join(s.dir, 'song.mp3');
    assert.deepEqual(await s.actions.addDroppedPaths([file, s.music]), [s.music]);
    assert.equal(s.reports.length, 1);
    assert.match(s.reports[0]?.message ?? '', /skipped what is not a folder: .*song\.mp3/);
  });

  it('refuses a drop with no folder in it, saying what to do', async (t) => {
    const s = setup(t);
    assert.deepEqual(await s.actions.addDroppedPaths([join(s.dir, 'song.mp3'), join(s.dir, 'gone')]), []);
    assert.deepEqual(s.scans, []);
    assert.equal(s.reports[0]?.kind, 'invalid-request');
    assert.match(s.reports[0]?.hint ?? '', /Add Folder/);
  });

  it('refuses a drop message that is not a list of paths', async (t) => {
    const s = setup(t);
    for (const raw of [undefined, 'not-a-list', [], [42], Array.from({ length: 101 }, () => s.music)]) {
      assert.deepEqual(await s.actions.addDroppedPaths(raw), []);
    }
    assert.deepEqual(s.scans, []);
    assert.equal(s.reports.length, 5);
  });
});

describe('File → Rescan Library', () => {
  it('rescans every remembered folder', async (t) => {
    const s = setup(t, { lastFolders: (f) => [f.music, f.more] });
    assert.deepEqual(await s.actions.rescan(), [s.music, s.more]);
    assert.deepEqual(s.scans, [[s.music, s.more]]);
  });

  it('skips folders that are gone, says so, and keeps them for next time', async (t) => {
    const s = setup(t, { lastFolders: (f) => [join(f.dir, 'unplugged-drive'), f.music] });
    assert.deepEqual(await s.actions.rescan(), [s.music]);
    assert.match(s.reports[0]?.message ?? '', /skipped folders that are not there: .*unplugged-drive/);
    assert.deepEqual(s.store.state.lastFolders, [join(s.dir, 'unplugged-drive'), s.music]);
  });

  it('asks for a folder first when none was added yet', async (t) => {
    const s = setup(t);
    assert.deepEqual(await s.actions.rescan(), []);
    assert.equal(s.reports[0]?.kind, 'not-found');
    assert.match(s.reports[0]?.hint ?? '', /Add Folder/);
  });

  it('reports when none of the folders is there', async (t) => {
    const s = setup(t, { lastFolders: () => ['/nowhere/a', '/nowhere/b'] });
    assert.deepEqual(await s.actions.rescan(), []);
    assert.deepEqual(s.scans, []);
    assert.match(s.reports[0]?.message ?? '', /none of the library's folders is there/);
  });
});
