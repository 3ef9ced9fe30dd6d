// What an IPC method call returns across Electron's process boundary. ipcRenderer.invoke keeps
// only the message of an error thrown in the main process, so handlers never throw: they answer
// an envelope, and the preload turns a failure back into a rejection carrying the wire error
// ({kind, message, path?, hint?}).
//
// The preload rejects with the wire error itself, a plain object, not with a BettiError:
// contextBridge copies an Error into the page as a bare Error with its message only (custom
// properties such as `kind` are dropped, electron/electron#25596), while plain objects cross
// intact. The renderer's client rebuilds the BettiError on its side (src-renderer/lib/client.ts).
import type { WireError } from '../api/errors.ts';
import { WireErrorSchema } from '../api/schemas/wire-error.ts';

export type IpcEnvelope = { ok: true; value: unknown } | { ok: false; error: WireError };

/** The rejection value the page sees for a failed call. `name` lets a console line say what it is. */
export type BridgeRejection = WireError & { name: 'BettiError' };

export function toBridgeRejection(error: WireError): BridgeRejection {
  return { name: 'BettiError', ...error };
}

/** Reads an envelope from the main process; anything malformed is reported as an internal error. */
export function openEnvelope(method: string, raw: unknown): IpcEnvelope {
  if (typeof raw === 'object' && raw !== null && 'ok' in raw) {
    const env = raw as { ok: unknown; value?: unknown; error?: unknown };
    if (env.ok === true) return { ok: true, value: env.value };
    if (env.ok === false) {
      const wire = WireErrorSchema.safeParse(env.error);
      if (wire.success) return { ok: false, error: wire.data };
    }
  }
  return { ok: false, error: { kind: 'internal', message: `${method}: the main process sent a malformed reply` } };
}
