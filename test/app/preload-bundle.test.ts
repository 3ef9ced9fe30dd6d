// The real esbuild-built preload, evaluated the way a sandboxed preload runs — a plain script
// given a `require` that knows only electron — against fakes of contextBridge, ipcRenderer and
// webUtils. It must expose exactly the BettiClient and map each call onto its contract channel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { channelOf, EVENT_CHANNEL, eventNames, methodNames } from '../../src-main/api/contract.ts';
import { fromWireError } from '../../src-main/api/errors.ts';
import { WireErrorSchema } from '../../src-main/api/schemas/wire-error.ts';
import { FOLDERS_DROPPED_CHANNEL } from '../../src-main/app/folder-drop.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

type Fn = (...args: unknown[]) => unknown;

/** Values made inside the preload's realm have that realm's prototypes; compare them as data. */
const data = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

interface Harness {
  exposed: Map<string, Record<string, Fn>>;
  invoked: { channel: string; args: unknown[] }[];
  sent: { channel: string; args: unknown[] }[];
  ipcListeners: Map<string, Set<Fn>>;
  domListeners: Map<string, Fn>;
  required: string[];
  reply: (channel: string, args: unknown[]) => unknown;
}

function runPreload(code: string): Harness {
  const h: Harness = { exposed: new Map(), invoked: [], sent: [], ipcListeners: new Map(), domListeners: new Map(), required: [], reply: () => ({ ok: true, value: null }) };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, Fn>) => h.exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        h.invoked.push({ channel, args });
        return h.reply(channel, args);
      },
      send: (channel: string, ...args: unknown[]) => h.sent.push({ channel, args }),
      on: (channel: string, l: Fn) => {
        if (!h.ipcListeners.has(channel)) h.ipcListeners.set(channel, new Set());
        h.ipcListeners.get(channel)?.add(l);
      },
      removeListener: (channel: string, l: Fn) => h.ipcListeners.get(channel)?.delete(l),
    },
    webUtils: { getPathForFile: (file: { diskPath?: string }) => file.diskPath ?? '' },
  };
  // Electron's sandboxed preload `require`: electron and a few Node built-ins, nothing else.
  const sandboxRequire = (name: string) => {
    h.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
  const module = { exports: {} };
  const context = vm.createContext({
    require: sandboxRequire,
    module,
    exports: module.exports,
    console,
    // The isolated world's window: the preload listens for drops on it.
    addEventListener: (type: string, l: Fn) => h.domListeners.set(type, l),
  });
  vm.runInContext(code, context, { filename: 'preload.cjs' });
  return h;
}

describe('the built preload, run as a sandboxed preload', () => {
  const out = join(tempDir({ after }), 'out');
  let code = '';

  before(async () => {
    const { buildApp } = (await import(pathToFileURL(join(repoRoot, 'scripts/build-app.js')).href)) as { buildApp: (o: { outDir: string; renderer: boolean }) => Promise<{ preload: string }> };
    code = readFileSync((await buildApp({ outDir: out, renderer: false })).preload, 'utf8');
  });

  it('requires nothing but electron', () => {
    assert.deepEqual([...new Set(runPreload(code).required)], ['electron']);
  });

  it('exposes one global, betti, with exactly the BettiClient: every contract method plus on', () => {
    const h = runPreload(code);
    assert.deepEqual([...h.exposed.keys()], ['betti']);
    const api = h.exposed.get('betti') ?? {};
    assert.deepEqual(Object.keys(api).sort(), [...methodNames, 'on'].sort());
    for (const [name, value] of Object.entries(api)) assert.equal(typeof value, 'function', name);
  });

  it('calls ipcRenderer.invoke(channelOf(name), request) and resolves with the value', async () => {
    const h = runPreload(code);
    h.reply = () => ({ ok: true, value: { name: 'betti', version: '9.9.9' } });
    const api = h.exposed.get('betti') ?? {};
    for (const name of methodNames) {
      h.invoked.length = 0;
      const request = { probe: name };
      assert.deepEqual(await api[name]?.(request), { name: 'betti', version: '9.9.9' });
      assert.deepEqual(h.invoked, [{ channel: channelOf(name), args: [request] }], name);
    }
  });

  it('sends an empty request object when called without one', async () => {
    const h = runPreload(code);
    await h.exposed.get('betti')?.['app.info']?.();
    assert.deepEqual(data(h.invoked[0]?.args), [{}]);
  });

  it('rejects with the wire error as plain data, which the renderer rebuilds as a BettiError', async () => {
    const h = runPreload(code);
    const wire = { kind: 'file-changed', message: 'changed since scan', path: '/m/a.flac', hint: 'run `betti scan /m`' };
    h.reply = () => ({ ok: false, error: wire });
    const rejection = await (h.exposed.get('betti')?.['app.info']?.({}) as Promise<unknown>).then(
      () => assert.fail('should reject'),
      (e: unknown) => e,
    );
    // Plain data crosses contextBridge intact; an Error would arrive with its message only.
    assert.equal(Object.prototype.toString.call(rejection), '[object Object]');
    assert.deepEqual({ ...(rejection as object) }, { name: 'BettiError', ...wire });
    const rebuilt = fromWireError(WireErrorSchema.parse(rejection));
    assert.deepEqual([rebuilt.kind, rebuilt.message, rebuilt.path, rebuilt.hint], [wire.kind, wire.message, wire.path, wire.hint]);
  });

  it('reports a malformed reply from the main process as an internal error', async () => {
    const h = runPreload(code);
    h.reply = () => 'not an envelope';
    const rejection = (await (h.exposed.get('betti')?.['app.info']?.({}) as Promise<unknown>).catch((e: unknown) => e)) as { kind: string };
    assert.equal(rejection.kind, 'internal');
  });

  it('delivers events to on() listeners with the payload only, never the IPC event', () => {
    const h = runPreload(code);
    const api = h.exposed.get('betti') ?? {};
    const event = eventNames[0];
    assert.ok(event, 'the contract has at least one event');
    const got: unknown[][] = [];
    const off = api.on?.(event, (...args: unknown[]) => got.push(args)) as () => void;
    const ipcListener = [...(h.ipcListeners.get(EVENT_CHANNEL) ?? [])][0];
    assert.ok(ipcListener, 'subscribes to the event channel on first use');
    ipcListener({ sender: 'the ipcRenderer event object' }, { event, payload: { done: 1 } });
    ipcListener({}, { event: 'no.such.event', payload: {} });
    assert.deepEqual(got, [[{ done: 1 }]]);
    off();
    assert.equal(h.ipcListeners.get(EVENT_CHANNEL)?.size, 0, 'unsubscribes when the last listener leaves');
  });

  it('refuses to subscribe to an event the contract does not have', () => {
    const h = runPreload(code);
    assert.throws(() => h.exposed.get('betti')?.on?.('no.such.event', () => undefined), (e: { kind?: string }) => e.kind === 'invalid-request');
  });

  it('sends the paths of files dropped on the window to the main process, and keeps the page from navigating', () => {
    const h = runPreload(code);
    let prevented = 0;
    const drag = (files: unknown[], types = ['Files']) => ({ preventDefault: () => prevented++, dataTransfer: { types, files, dropEffect: 'none' } });
    const over = drag([]);
    h.domListeners.get('dragover')?.(over);
    assert.equal(over.dataTransfer.dropEffect, 'copy');
    h.domListeners.get('drop')?.(drag([{ diskPath: '/home/me/Music' }, { diskPath: '' }, { diskPath: '/home/me/More' }]));
    assert.equal(prevented, 2);
    assert.deepEqual(data(h.sent), [{ channel: FOLDERS_DROPPED_CHANNEL, args: [['/home/me/Music', '/home/me/More']] }]);
  });

  it('leaves drags of text and links to the page', () => {
    const h = runPreload(code);
    let prevented = 0;
    h.domListeners.get('drop')?.({ preventDefault: () => prevented++, dataTransfer: { types: ['text/plain'], files: [], dropEffect: 'none' } });
    assert.equal(prevented, 0);
    assert.deepEqual(h.sent, []);
  });
});
