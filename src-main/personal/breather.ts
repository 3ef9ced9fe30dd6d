// Learning runs in the process that asked for it: the app's main process, `betti serve`, or a CLI
// command. A learning run over 10,000 tracks computes for seconds, so it gives the event loop a
// turn every few tens of milliseconds (IPC calls, HTTP requests and progress keep flowing) rather
// than holding it for the whole run.
const setImmediatePromise = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Breather {
  readonly #budgetMs: number;
  #since = performance.now();

  constructor(budgetMs = 40) {
    this.#budgetMs = budgetMs;
  }

  /** Yields to the event loop when the budget since the last yield is spent. */
  async breathe(): Promise<void> {
    if (performance.now() - this.#since < this.#budgetMs) return;
    await setImmediatePromise();
    this.#since = performance.now();
  }
}
