// In-process event bus for contract events. Transports (IPC, SSE, direct) subscribe to it.
import type { EventName, EventPayloadOf } from './contract.ts';

type Listener = (payload: unknown) => void;
export type Emit = <E extends EventName>(event: E, payload: EventPayloadOf<E>) => void;

export class EventBus {
  readonly #listeners = new Map<EventName, Set<Listener>>();
  readonly #all = new Set<(event: EventName, payload: unknown) => void>();

  emit: Emit = (event, payload) => {
    for (const l of this.#listeners.get(event) ?? []) l(payload);
    for (const l of this.#all) l(event, payload);
  };

  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => set.delete(l);
  }

  /** Every event, for transports that forward all of them (IPC, SSE). */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.#all.add(listener);
    return () => this.#all.delete(listener);
  }
}
