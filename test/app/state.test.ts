import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AppStateStore, defaultAppState, loadAppState, MAX_LAST_FOLDERS, rememberFolders, saveAppState, STATE_FILE_NAME } from '../../src-main/app/state.ts';
import { tempDir } from '../helpers/tmp.ts';

const fixedNow = () => new Date('2026-01-02T03:04:05.678Z');

describe('desktop app state file', () => {
  it('starts from the defaults when there is no state file yet', (t) => {
    const loaded = loadAppState(join(tempDir(t), STATE_FILE_NAME));
    assert.deepEqual(loaded.state, defaultAppState());
    assert.equal(loaded.problem, undefined);
  });

  it('reads back exactly what it saved', (t) => {
    const file = join(tempDir(t), 'nested', STATE_FILE_NAME);
    const state = { version: 1 as const, window: { width: 1000, height: 700, x: 10, y: -20, maximized: true }, lastFolders: ['/music/a', '/music/b'], settings: { rescanOnLaunch: true } };
    saveAppState(file, state);
    assert.deepEqual(loadAppState(file).state, state);
    assert.deepEqual(readdirSync(join(file, '..')), [STATE_FILE_NAME], 'no temporary file is left behind');
  });

  it('falls back to the defaults for a file that is not JSON and keeps the original as a backup', (t) => {
    const dir = tempDir(t);
    const file = join(dir, STATE_FILE_NAME);
    writeFileSync(file, '{"version": 1, "window": {');
    const loaded = loadAppState(file, fixedNow);
    assert.deepEqual(loaded.state, defaultAppState());
    assert.match(loaded.problem ?? '', /not valid JSON/);
    assert.equal(loaded.backupPath, `${file}.corrupt-2026-01-02T03-04-05-678Z`);
    assert.equal(readFileSync(loaded.backupPath, 'utf8'), '{"version": 1, "window": {');
    assert.equal(existsSync(file), false, 'the corrupt file is moved aside, so the next save starts clean');
  });

  it('keeps the fields that still parse when others are invalid', (t) => {
    const file = join(tempDir(t), STATE_FILE_NAME);
    writeFileSync(file, JSON.stringify({ version: 1, window: { width: 'wide', height: 700, maximized: false }, lastFolders: ['/music', 42, ''], settings: { rescanOnLaunch: true } }));
    const loaded = loadAppState(file, fixedNow);
    assert.deepEqual(loaded.state.window, defaultAppState().window);
    assert.deepEqual(loaded.state.lastFolders, ['/music']);
    assert.equal(loaded.state.settings.rescanOnLaunch, true);
    assert.match(loaded.problem ?? '', /window\.width/);
    assert.ok(loaded.backupPath && existsSync(loaded.backupPath));
  });

  it('treats a JSON value that is not an object as corrupt', (t) => {
    const file = join(tempDir(t), STATE_FILE_NAME);
    writeFileSync(file, '[1, 2, 3]');
    const loaded = loadAppState(file, fixedNow);
    assert.deepEqual(loaded.state, defaultAppState());
    assert.ok(loaded.backupPath);
  });

  it('refuses to save a state that breaks its own schema', (t) => {
    const file = join(tempDir(t), STATE_FILE_NAME);
    const bad = { ...defaultAppState(), window: { width: 10, height: 10, maximized: false } };
    assert.throws(() => saveAppState(file, bad));
    assert.equal(existsSync(file), false);
  });

  it('remembers folders most recent first, without duplicates, capped', () => {
    assert.deepEqual(rememberFolders(['/a', '/b'], ['/c', '/a']), ['/c', '/a', '/b']);
    const many = Array.from({ length: 30 }, (_, i) => `/f${i}`);
    assert.equal(rememberFolders([], many).length, MAX_LAST_FOLDERS);
  });

  it('writes updates once after a quiet period, and at once on flush', async (t) => {
    const file = join(tempDir(t), STATE_FILE_NAME);
    const store = new AppStateStore(file, defaultAppState(), { delayMs: 30 });
    store.update((s) => ({ ...s, lastFolders: ['/x'] }));
    store.update((s) => ({ ...s, lastFolders: ['/y', ...s.lastFolders] }));
    assert.equal(existsSync(file), false, 'nothing is written while updates keep coming');
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(loadAppState(file).state.lastFolders, ['/y', '/x']);
    store.update((s) => ({ ...s, settings: { rescanOnLaunch: true } }));
    store.flush();
    assert.equal(loadAppState(file).state.settings.rescanOnLaunch, true);
  });

  it('reports a failed save instead of throwing', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'blocker'), '');
    const errors: unknown[] = [];
    // The state file's folder is a file, so the write fails.
    const store = new AppStateStore(join(dir, 'blocker', STATE_FILE_NAME), defaultAppState(), { onError: (e) => errors.push(e) });
    store.flush();
    assert.equal(errors.length, 1);
  });
});
