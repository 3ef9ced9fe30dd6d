// A BettiClient for DOM-less state tests: each method answers from a handler the test gives (an
// unexpected call fails the test with the method's name), records every call, and events are
// emitted by the test.
import type { BettiClient, EventName, EventPayloadOf, MethodName, RequestOf, ResponseOf } from '../../../src-main/api/contract.ts';

export type FakeHandlers = { [M in MethodName]?: (request: RequestOf<M>) => ResponseOf<M> | Promise<ResponseOf<M>> };

export interface FakeClient {
  client: BettiClient;
  calls: { method: MethodName; request: unknown }[];
  callsTo<M extends MethodName>(method: M): RequestOf<M>[];
  emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void;
}

export function fakeClient(handlers: FakeHandlers): FakeClient {
  const calls: { method: MethodName; request: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const client = new Proxy({} as BettiClient, {
    get(_target, prop: string) {
      if (prop === 'on') {
        return (event: string, listener: (p: unknown) => void) => {
          const set = listeners.get(event) ?? new Set();
          set.add(listener);
          listeners.set(event, set);
          return () => set.delete(listener);
        };
      }
      if (prop === 'then') return undefined;
      return async (request: unknown) => {
        calls.push({ method: prop as MethodName, request });
        const h = handlers[prop as MethodName] as ((r: unknown) => unknown) | undefined;
        if (!h) throw new Error(`unexpected call to ${prop}`);
        return h(request);
      };
    },
  });
  return {
    client,
    calls,
    callsTo: <M extends MethodName>(method: M) => calls.filter((c) => c.method === method).map((c) => c.request as RequestOf<M>),
    emit: (event, payload) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
