// The main-process IPC bridge against the real service over a temporary library: handlers come
// from the contract, check the sender, validate, and answer envelopes with wire errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { channelOf, EVENT_CHANNEL, methodNames } from '../../src-main/api/contract.ts';
import { createContext } from '../../src-main/api/context.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService, type BettiService } from '../../src-main/api/service.ts';
import type { IpcEnvelope } from '../../src-main/app/ipc-envelope.ts';
import { forwardEvents, registerIpcHandlers, type IpcMainLike } from '../../src-main/app/ipc.ts';
import type { SenderEvent } from '../../src-main/app/trusted-sender.ts';
import { tempDir } from '../helpers/tmp.ts';

type Listener = Parameters<IpcMainLike['handle']>[1];

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      assert.equal(handlers.has(channel), false, `${channel} registered twice`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const invoke = async (channel: string, ...args: unknown[]) => {
    const h = handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return (await h(trustedEvent, ...args)) as IpcEnvelope;
  };
  return { ipcMain, handlers, invoke };
}

const frame = { url: 'betti://app/index.html', processId: 1, routingId: 1, parent: null };
const trustedEvent: SenderEvent = { sender: { id: 1, mainFrame: frame, isDestroyed: () => false }, senderFrame: frame };

describe('IPC handlers registered from the contract', () => {
  const dir = tempDir({ after });
  const bus = new EventBus();
  const ctx = createContext({ dbPath: join(dir, 'library.db'), bus });
  after(() => ctx.close());
  const real = createService(ctx);
  let trusted = true;
  const service: BettiService = {
    ...real,
    // A handler failing with every field of a wire error, to see them all cross.
    'library.cancelScan': async () => {
      throw new BettiError('file-changed', 'changed since scan', { path: '/music/a.flac', hint: 'run `betti scan /music`' });
    },
    // A handler with a bug.
    'library.list': async () => {
      throw new TypeError('cannot read properties of undefined');
    },
  };
  const { ipcMain, handlers, invoke } = fakeIpcMain();
  const errors: string[] = [];
  const unregister = registerIpcHandlers({ ipcMain, service, isTrustedSender: () => trusted, onError: (m, e) => errors.push(`${m}:${e.kind}`) });

  it('registers one handler per contract method, on its channel, and nothing else', () => {
    assert.deepEqual([...handlers.keys()].sort(), methodNames.map(channelOf).sort());
  });

  it('answers a valid call with the value in an ok envelope', async () => {
    const env = await invoke(channelOf('app.info'), {});
    assert.equal(env.ok, true);
    assert.equal((env as { value: { dbPath: string } }).value.dbPath, join(dir, 'library.db'));
  });

  it('treats a missing request as an empty one', async () => {
    assert.equal((await invoke(channelOf('app.info'))).ok, true);
  });

  it('refuses a request that breaks the schema, as an invalid-request wire error', async () => {
    const env = await invoke(channelOf('app.info'), { unexpected: true });
    assert.equal(env.ok, false);
    if (!env.ok) {
      assert.equal(env.error.kind, 'invalid-request');
      assert.match(env.error.message, /^app\.info: /);
      assert.ok(env.error.hint);
    }
  });

  it('refuses extra arguments', async () => {
    const env = await invoke(channelOf('app.info'), {}, 'more');
    assert.equal(env.ok, false);
  });

  it('carries kind, message, path and hint of a handler error across as data', async () => {
    const env = await invoke(channelOf('library.cancelScan'), {});
    assert.deepEqual(env, { ok: false, error: { kind: 'file-changed', message: 'changed since scan', path: '/music/a.flac', hint: 'run `betti scan /music`' } });
    assert.ok(errors.includes('library.cancelScan:file-changed'));
  });

  it("reports a real handler's not-found error", async () => {
    const env = await invoke(channelOf('library.track'), { id: 424242 });
    assert.equal(env.ok, false);
    if (!env.ok) assert.equal(env.error.kind, 'not-found');
  });

  it('turns an unexpected exception into an internal wire error', async () => {
    const env = await invoke(channelOf('library.list'), {});
    assert.deepEqual(env, { ok: false, error: { kind: 'internal', message: 'cannot read properties of undefined' } });
  });

  it('runs nothing for a sender that is not Betti', async () => {
    trusted = false;
    try {
      const env = await invoke(channelOf('library.scan'), { folders: [dir] });
      assert.equal(env.ok, false);
      if (!env.ok) {
        assert.equal(env.error.kind, 'invalid-request');
        assert.match(env.error.message, /did not come from Betti's window/);
      }
    } finally {
      trusted = true;
    }
  });

  it('removes every handler when asked', () => {
    unregister();
    assert.equal(handlers.size, 0);
  });
});

describe('events to the window', () => {
  it('forwards every bus event on the event channel while the window is open', () => {
    const bus = new EventBus();
    const sent: unknown[][] = [];
    let open = true;
    const contents = { isDestroyed: () => !open, send: (...args: unknown[]) => sent.push(args) };
    const off = forwardEvents(bus, () => contents);
    const progress = { done: 1, total: 2, path: '/m/a.mp3', phase: 'read' as const };
    bus.emit('scan.progress', progress);
    assert.deepEqual(sent, [[EVENT_CHANNEL, { event: 'scan.progress', payload: progress }]]);
    open = false;
    bus.emit('scan.progress', progress);
    assert.equal(sent.length, 1, 'nothing is sent to a destroyed window');
    open = true;
    off();
    bus.emit('scan.progress', progress);
    assert.equal(sent.length, 1, 'nothing is sent after unsubscribing');
  });
});
