// The first-run offer of the demo library: one call (app.openDemo) that copies the shipped clips
// beside the library and scans them; the library view reloads when it resolves.
import type { BettiApi, ResponseOf } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';

export type Api = Pick<BettiApi, 'app.openDemo'>;
export type DemoLibrary = ResponseOf<'app.openDemo'>;

export class DemoState {
  readonly #api: Api;
  busy = $state(false);
  error = $state.raw<ErrorText | null>(null);
  /** The last demo opened (its folder and what the scan found). */
  opened = $state.raw<DemoLibrary | null>(null);

  constructor(api: Api) {
    this.#api = api;
  }

  /** Opens the demo; resolves with it, or null when it failed (the error is in `error`) or one is already opening. */
  async open(): Promise<DemoLibrary | null> {
    if (this.busy) return null;
    this.busy = true;
    this.error = null;
    try {
      this.opened = await this.#api['app.openDemo']({});
      return this.opened;
    } catch (err) {
      this.error = errorText(err);
      return null;
    } finally {
      this.busy = false;
    }
  }
}
