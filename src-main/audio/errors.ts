// Errors of decoding: each names the file and the reason, and says what to try next.
import { BettiError } from '../api/errors.ts';

export type DecodeErrorKind = 'decode-failed' | 'unsupported-format' | 'not-found' | 'cancelled';

export class DecodeError extends BettiError {
  declare readonly kind: DecodeErrorKind;
  constructor(kind: DecodeErrorKind, path: string, reason: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(kind, `cannot decode ${path}: ${reason}`, { path, ...opts });
    this.name = 'DecodeError';
  }
}

/** No decoder of the requested kind can run on this machine (missing binary, missing package). */
export class DecoderUnavailableError extends BettiError {
  constructor(decoder: string, reason: string) {
    super('unsupported-format', `the ${decoder} decoder is not available: ${reason}`, {
      hint: 'Install ffmpeg (on PATH) or reinstall Betti so its bundled ffmpeg is present; set BETTI_DECODER to choose a decoder.',
    });
    this.name = 'DecoderUnavailableError';
  }
}
