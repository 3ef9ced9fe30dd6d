// THE window plan: which stretches of a track the network hears. Every caller (predict, eval, the
// analysis workers) asks this one function, so a track's tags never depend on who computed them.
//
// - Windows are the model's trained window (model.json `window.seconds`, one segment: 4.32 s for
//   pcnn-1), spread over the whole track: the track is cut into n equal parts and one window is
//   centred in each, so a long track is heard near its start, middle and end, never only in its
//   first seconds (intros are the least typical part of most music).
// - n = DEFAULT_WINDOWS (3) unless the caller asks for another maximum, and never more windows
//   than fit side by side. Why 3: the analysis target is ≥ 5 tracks/s per core on 4-minute mp3s;
//   each window costs one seek-and-decode plus a forward pass, and three windows (≈ 13 s heard)
//   already cover start, middle and end, while the mean over windows settles quickly after that.
// - A track shorter than one window gets one window holding all of it; the network input is then
//   looped up to the window's frames (short-input.ts, EXPORT_FORMAT.md's short-input rule).
// - Below MIN_TRACK_SECONDS there is too little sound to loop into a window honestly (a 1 s loop
//   repeated four times is a rhythm of its own): a clear error instead of confident nonsense.
import { BettiError } from '../api/errors.ts';

export interface AnalysisWindow {
  /** Seconds from the start of the track. */
  readonly offset: number;
  /** Seconds of audio to decode. */
  readonly duration: number;
}

export const DEFAULT_WINDOWS = 3;
/** Upper bound on the windows a caller may ask for (a 10-minute track holds ~140 windows). */
export const MAX_WINDOWS = 64;
/** Shortest track analysed, in seconds. */
export const MIN_TRACK_SECONDS = 1;

/** A track is too short to analyse (below MIN_TRACK_SECONDS). */
export class TrackTooShortError extends BettiError {
  constructor(durationSec: number, path?: string) {
    super('unsupported-format', `${path ?? 'the track'} is too short to analyse: ${durationSec.toFixed(2)} s of audio, Betti needs at least ${MIN_TRACK_SECONDS} s`, {
      ...(path === undefined ? {} : { path }),
      hint: 'Very short sounds (clicks, jingles under a second) get no tags; nothing else needs doing.',
    });
    this.name = 'TrackTooShortError';
  }
}

/** The windows of a track of `durationSec` seconds: sorted by offset, non-overlapping, inside the track. */
export function planWindows(durationSec: number, window: { readonly seconds: number }, opts: { maxWindows?: number; path?: string } = {}): AnalysisWindow[] {
  const max = opts.maxWindows ?? DEFAULT_WINDOWS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_WINDOWS) {
    throw new BettiError('invalid-request', `maxWindows must be an integer from 1 to ${MAX_WINDOWS} (got ${max})`);
  }
  if (!(Number.isFinite(window.seconds) && window.seconds > 0)) throw new BettiError('invalid-request', `window length must be a positive number of seconds (got ${window.seconds})`);
  if (!Number.isFinite(durationSec) || durationSec < 0) throw new BettiError('invalid-request', `track duration must be a number of seconds ≥ 0 (got ${durationSec})`);
  if (durationSec < MIN_TRACK_SECONDS) throw new TrackTooShortError(durationSec, opts.path);

  const w = window.seconds;
  if (durationSec <= w) return [{ offset: 0, duration: durationSec }];
  const n = Math.min(max, Math.floor(durationSec / w));
  const part = durationSec / n;
  const plan: AnalysisWindow[] = [];
  for (let i = 0; i < n; i++) {
    // Centred in part i; the clamp only matters when parts are barely longer than a window.
    const offset = Math.min(Math.max(0, (i + 0.5) * part - w / 2), durationSec - w);
    plan.push({ offset, duration: w });
  }
  return plan;
}
