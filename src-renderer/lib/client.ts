// The renderer's BettiClient: `window.betti` inside Electron (the preload exposes it), else the
// HTTP + server-sent-events transport of `betti serve`. Both are derived from the one contract.
import { EVENTS_ROUTE, methodNames, routeOf, type BettiClient, type EventName } from '../../src-main/api/contract.ts';
import { fromWireError } from '../../src-main/api/errors.ts';
import { WireErrorSchema } from '../../src-main/api/schemas/wire-error.ts';

declare global {
  interface Window {
    betti?: BettiClient;
  }
}

const TOKEN_KEY = 'betti-token';

/** The token `betti serve` printed in its URL (`?token=…`); kept for the tab's lifetime. */
function serveToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, '', location.pathname);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function createHttpClient(token: string, base = ''): BettiClient {
  const api: Record<string, (req: unknown) => Promise<unknown>> = {};
  for (const name of methodNames) {
    api[name] = async (request: unknown) => {
      const res = await fetch(`${base}${routeOf(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(request ?? {}),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const wire = WireErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
        throw wire.success ? fromWireError(wire.data) : new Error(`${name}: HTTP ${res.status}`);
      }
      return body;
    };
  }
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | undefined;
  const on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!source) {
      source = new EventSource(`${base}${EVENTS_ROUTE}?token=${encodeURIComponent(token)}`);
      source.onmessage = (msg) => {
        const { event: name, payload } = JSON.parse(String(msg.data)) as { event: EventName; payload: unknown };
        for (const l of listeners.get(name) ?? []) l(payload);
      };
    }
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };
  return Object.assign(api, { on }) as unknown as BettiClient;
}

/**
 * window.betti with its failures turned back into BettiErrors. Electron's contextBridge copies an
 * Error into the page with its message only, so the preload rejects with the plain wire error
 * ({kind, message, path?, hint?}), which crosses intact, and it is rebuilt here.
 */
export function fromBridge(bridge: BettiClient): BettiClient {
  const api: Record<string, unknown> = { on: bridge.on };
  for (const name of methodNames) {
    const call = bridge[name] as (request: unknown) => Promise<unknown>;
    api[name] = (request: unknown) =>
      call(request).catch((err: unknown) => {
        const wire = WireErrorSchema.safeParse(err);
        throw wire.success ? fromWireError(wire.data) : err;
      });
  }
  return api as unknown as BettiClient;
}

export function connect(): BettiClient {
  return window.betti ? fromBridge(window.betti) : createHttpClient(serveToken());
}
