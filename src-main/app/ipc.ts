// The main-process side of the IPC bridge, derived from the contract: one ipcMain.handle per
// method on channelOf(name), and every bus event pushed to the main window on EVENT_CHANNEL.
// Each call is refused unless it comes from Betti's own frame (trusted-sender.ts), is validated
// against the method's request schema and its response checked (api/dispatch.ts), and answers
// an envelope rather than throwing (ipc-envelope.ts).
import { channelOf, EVENT_CHANNEL, methodNames, type EventName } from '../api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import { toWireError } from '../api/errors.ts';
import type { EventBus } from '../api/events.ts';
import type { BettiService } from '../api/service.ts';
import type { IpcEnvelope } from './ipc-envelope.ts';
import type { SenderCheck, SenderEvent } from './trusted-sender.ts';

/** The part of Electron's ipcMain the bridge uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcHandlerOptions {
  ipcMain: IpcMainLike;
  service: BettiService;
  isTrustedSender: SenderCheck;
  /** Called with every failure a handler answers, so the main process log shows it. */
  onError?: (method: string, error: ReturnType<typeof toWireError>) => void;
}

/** Registers a handler for every contract method; returns the function that removes them. */
export function registerIpcHandlers(opts: IpcHandlerOptions): () => void {
  for (const name of methodNames) {
    opts.ipcMain.handle(channelOf(name), async (event, ...args): Promise<IpcEnvelope> => {
      if (!opts.isTrustedSender(event)) {
        return { ok: false, error: { kind: 'invalid-request', message: `${name}: refused, the call did not come from Betti's window` } };
      }
      if (args.length > 1) {
        return { ok: false, error: { kind: 'invalid-request', message: `${name}: takes one request object, got ${args.length} arguments` } };
      }
      try {
        return { ok: true, value: await dispatch(opts.service, name, args[0]) };
      } catch (err) {
        const error = toWireError(err);
        opts.onError?.(name, error);
        return { ok: false, error };
      }
    });
  }
  return () => {
    for (const name of methodNames) opts.ipcMain.removeHandler(channelOf(name));
  };
}

/** The part of Electron's WebContents that receives events. */
export interface EventTargetContents {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Forwards every bus event to the main window while it is open; returns the unsubscribe. */
export function forwardEvents(bus: EventBus, target: () => EventTargetContents | undefined): () => void {
  return bus.onAny((event: EventName, payload: unknown) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, payload });
  });
}
