// The object the preload exposes as window.betti: exactly the BettiClient of the contract — one
// function per method, plus `on` for events — and nothing of Electron (security checklist §20:
// never hand the page ipcRenderer, and never pass it the IpcRendererEvent).
//
// It runs in the sandboxed preload, so it imports only pure modules (the contract, the error
// shape); the build refuses anything that would need Node.
import { channelOf, EVENT_CHANNEL, eventNames, methodNames, type BettiClient, type EventName } from '../api/contract.ts';
import { openEnvelope, toBridgeRejection } from './ipc-envelope.ts';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Listener = (payload: unknown) => void;

function isEventMessage(raw: unknown): raw is { event: EventName; payload: unknown } {
  return typeof raw === 'object' && raw !== null && typeof (raw as { event?: unknown }).event === 'string' && (eventNames as string[]).includes((raw as { event: string }).event);
}

export function createBridgeClient(ipc: IpcRendererLike, log: (...args: unknown[]) => void = console.error): BettiClient {
  const api: Record<string, unknown> = {};
  for (const name of methodNames) {
    api[name] = async (request: unknown) => {
      const envelope = openEnvelope(name, await ipc.invoke(channelOf(name), request ?? {}));
      if (envelope.ok) return envelope.value;
      throw toBridgeRejection(envelope.error);
    };
  }

  const listeners = new Map<EventName, Set<Listener>>();
  const onMessage = (_event: unknown, raw: unknown) => {
    if (!isEventMessage(raw)) return;
    for (const listener of listeners.get(raw.event) ?? []) {
      // One failing listener must not keep the event from the others.
      try {
        listener(raw.payload);
      } catch (err) {
        log(`Betti: a listener for ${raw.event} threw`, err);
      }
    }
  };
  let subscribed = false;

  api.on = (event: EventName, listener: Listener): (() => void) => {
    if (!(eventNames as string[]).includes(event)) {
      throw toBridgeRejection({ kind: 'invalid-request', message: `no event named ${String(event)}`, hint: `Events: ${eventNames.join(', ') || '(none yet)'}.` });
    }
    if (typeof listener !== 'function') throw toBridgeRejection({ kind: 'invalid-request', message: `on(${event}): the listener is not a function` });
    if (!subscribed) {
      ipc.on(EVENT_CHANNEL, onMessage);
      subscribed = true;
    }
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if ([...listeners.values()].every((s) => s.size === 0) && subscribed) {
        ipc.removeListener(EVENT_CHANNEL, onMessage);
        subscribed = false;
      }
    };
  };
  return api as unknown as BettiClient;
}
