// The one module that holds the BettiClient (../shared/STYLE.md §4). It turns the contract's
// events into `$state` that components read; state classes receive a `BettiApi` in their
// constructor, so DOM-less tests hand them a fake client and nothing reaches for window.betti.
import { getContext, setContext } from 'svelte';
import type { BettiClient, EventName, EventPayloadOf } from '../../src-main/api/contract.ts';
import { connect } from './client.ts';

export type ScanProgress = EventPayloadOf<'scan.progress'>;
export type WriteProgress = EventPayloadOf<'write.progress'>;

/** The client plus the latest payload of each event, as reactive state. */
export class BettiConnection {
  readonly client: BettiClient;
  /** The latest scan progress event (null before the first). */
  scanProgress = $state.raw<ScanProgress | null>(null);
  /** The latest write progress event (null before the first). */
  writeProgress = $state.raw<WriteProgress | null>(null);
  readonly #off: (() => void)[] = [];

  constructor(client: BettiClient) {
    this.client = client;
    this.#listen('scan.progress', (p) => (this.scanProgress = p));
    this.#listen('write.progress', (p) => (this.writeProgress = p));
  }

  #listen<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): void {
    this.#off.push(this.client.on(event, listener));
  }

  /** Stops listening (tests; the app lives as long as its page). */
  close(): void {
    for (const off of this.#off.splice(0)) off();
  }
}

const KEY = Symbol('betti-connection');

/** Makes `connection` (default: window.betti or the `betti serve` HTTP client) available to components below. */
export function provideConnection(connection: BettiConnection = new BettiConnection(connect())): BettiConnection {
  return setContext(KEY, connection);
}

/** The connection an ancestor provided. */
export function useConnection(): BettiConnection {
  const c = getContext<BettiConnection | undefined>(KEY);
  if (!c) throw new Error('useConnection() outside a component tree that called provideConnection()');
  return c;
}
