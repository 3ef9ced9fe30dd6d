// Time left from a stream of (done, total) progress reports: the rate is smoothed so one slow
// file does not make the estimate jump, and there is no estimate until there is a rate to trust.

const SMOOTHING = 0.2;
/** Reports closer together than this are merged into the next rate sample. */
const MIN_SAMPLE_MS = 250;

export class RateEstimator {
  #last: { done: number; at: number } | undefined;
  #rate: number | undefined; // items per millisecond

  /** Feeds one report; returns seconds left, or undefined while unknown. */
  update(done: number, total: number, at: number): number | undefined {
    if (!this.#last || done < this.#last.done) {
      this.#last = { done, at };
      this.#rate = undefined;
      return undefined;
    }
    const dt = at - this.#last.at;
    if (dt >= MIN_SAMPLE_MS) {
      const sample = (done - this.#last.done) / dt;
      this.#rate = this.#rate === undefined ? sample : this.#rate + SMOOTHING * (sample - this.#rate);
      this.#last = { done, at };
    }
    return this.secondsLeft(done, total);
  }

  secondsLeft(done: number, total: number): number | undefined {
    if (this.#rate === undefined || this.#rate <= 0) return undefined;
    return Math.max(0, total - done) / this.#rate / 1000;
  }

  reset(): void {
    this.#last = undefined;
    this.#rate = undefined;
  }
}
