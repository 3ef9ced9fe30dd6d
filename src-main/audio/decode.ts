// Decode any file the library scans to mono Float32 at the analysis rate, for the whole file or
// a time range. Decoders are tried in DECODER_ORDER (chosen by measurement: bench/features); a
// decoder that is missing on this machine, or that cannot read the format, hands over to the next.
// Damaged audio is not retried: every decoder would stumble on the same bytes.
import { statSync } from 'node:fs';
import type { DecodedAudio, DecodeOptions, DecodeRange } from './decoded-audio.ts';
import { samplesFor } from './decoded-audio.ts';
import { DecodeError, DecoderUnavailableError } from './errors.ts';
import { decodeRangesWithFfmpeg, decodeWithFfmpeg } from './ffmpeg-decode.ts';
import { ffmpegBinary, type FfmpegSource } from './ffmpeg-binaries.ts';

export type { DecodedAudio, DecodeOptions, DecodeRange } from './decoded-audio.ts';

export const decoderKinds = ['ffmpeg-system', 'ffmpeg-bundled', 'wasm'] as const;
export type DecoderKind = (typeof decoderKinds)[number];

/**
 * The fallback order, chosen by measurement (bench/features, on Debian 12):
 * - ffmpeg first: it reads every format the library scans, seeks without decoding what precedes a
 *   range, and resamples with soxr. The wasm codecs decode the whole file even for a 10 s window
 *   and resample in JS: 7–13× the time of `ffmpeg -f null` against ~1.0–1.8× for ffmpeg.
 * - The bundled static build before the system one: a distribution's ffmpeg links ~200 shared
 *   libraries and takes ~120 ms to start, the static build ~0 ms, so a 10 s window decodes ~3×
 *   faster; and the bundled build is the same on every machine, so users' features match the
 *   ones the model was trained on. The system ffmpeg serves platforms without a bundled binary
 *   and formats the 2018 bundled build does not know.
 * - wasm last, for machines where no ffmpeg runs at all.
 */
export const DECODER_ORDER: readonly DecoderKind[] = ['ffmpeg-bundled', 'ffmpeg-system', 'wasm'];

export interface DecodeRequest extends DecodeOptions {
  /** Use only this decoder (tests, benchmarks). */
  decoder?: DecoderKind;
  /** Try these decoders in turn; default: BETTI_DECODER (a name or a comma-separated list), else DECODER_ORDER. */
  order?: readonly DecoderKind[];
}

function parseDecoderEnv(value: string | undefined): DecoderKind[] | undefined {
  if (value === undefined || value.trim() === '' || value.trim() === 'auto') return undefined;
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(decoderKinds as readonly string[]).includes(name)) {
      throw new DecodeError('unsupported-format', `BETTI_DECODER=${value}`, `unknown decoder "${name}"`, { hint: `Set BETTI_DECODER to auto, or to one or more (comma-separated) of: ${decoderKinds.join(', ')}.` });
    }
  }
  return names as DecoderKind[];
}

async function binaryFor(kind: Exclude<DecoderKind, 'wasm'>) {
  const source: FfmpegSource = kind === 'ffmpeg-system' ? 'system' : 'bundled';
  const binary = await ffmpegBinary(source);
  if (!binary) {
    throw new DecoderUnavailableError(kind, source === 'system' ? 'no ffmpeg on PATH (or at BETTI_FFMPEG)' : 'the @ffmpeg-installer package for this platform is not installed');
  }
  return binary;
}

async function decodeWith(kind: DecoderKind, path: string, opts: DecodeOptions): Promise<DecodedAudio> {
  if (kind === 'wasm') {
    const { decodeWithWasm } = await import('./wasm-decode.ts');
    return decodeWithWasm(path, opts);
  }
  return decodeWithFfmpeg(await binaryFor(kind), path, opts);
}

async function decodeRangesWith(kind: DecoderKind, path: string, ranges: readonly DecodeRange[], signal: AbortSignal | undefined): Promise<DecodedAudio[]> {
  if (kind !== 'wasm') return decodeRangesWithFfmpeg(await binaryFor(kind), path, ranges, signal);
  // The wasm codecs cannot seek: decode the whole file once and cut every range from it.
  const { decodeWithWasm } = await import('./wasm-decode.ts');
  const whole = await decodeWithWasm(path, signal ? { signal } : {});
  return ranges.map((r) => {
    const start = Math.min(whole.samples.length, samplesFor(r.offset ?? 0));
    const end = r.duration === undefined ? whole.samples.length : Math.min(whole.samples.length, start + samplesFor(r.duration));
    const samples = whole.samples.slice(start, end);
    return { ...whole, samples, durationSec: samples.length / whole.sampleRate };
  });
}

function checkRange(path: string, opts: DecodeOptions): void {
  const { offset, duration } = opts;
  if (offset !== undefined && !(Number.isFinite(offset) && offset >= 0)) throw new DecodeError('decode-failed', path, `offset must be a number of seconds ≥ 0, got ${offset}`);
  if (duration !== undefined && !(Number.isFinite(duration) && duration > 0)) throw new DecodeError('decode-failed', path, `duration must be a number of seconds > 0, got ${duration}`);
}

function checkFile(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (err) {
    throw new DecodeError('not-found', path, `the file cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'It may have been moved or deleted; scan its folder again.',
      cause: err,
    });
  }
  if (!isFile) throw new DecodeError('unsupported-format', path, 'not a regular file');
}

/** Runs `attempt` with each decoder of the request's order until one can read the file. */
async function firstDecoderThatReads<T>(path: string, opts: DecodeRequest, attempt: (kind: DecoderKind) => Promise<T>): Promise<T> {
  const order = opts.decoder ? [opts.decoder] : (opts.order ?? parseDecoderEnv(process.env.BETTI_DECODER) ?? DECODER_ORDER);
  let firstFormatError: DecodeError | undefined;
  let lastUnavailable: DecoderUnavailableError | undefined;
  for (const kind of order) {
    if (opts.signal?.aborted) throw new DecodeError('cancelled', path, 'cancelled', { cause: opts.signal.reason });
    try {
      return await attempt(kind);
    } catch (err) {
      if (err instanceof DecoderUnavailableError) {
        lastUnavailable = err;
        continue;
      }
      // Another decoder may know a format this one does not; data it fails on midway it would too.
      if (err instanceof DecodeError && err.kind === 'unsupported-format') {
        firstFormatError ??= err;
        continue;
      }
      throw err;
    }
  }
  if (firstFormatError) throw firstFormatError;
  throw lastUnavailable ?? new DecodeError('unsupported-format', path, 'no decoder is available');
}

/** Mono samples at the analysis rate of `path`, or of the range [offset, offset + duration) seconds of it. */
export async function decodeMono16k(path: string, opts: DecodeRequest = {}): Promise<DecodedAudio> {
  checkRange(path, opts);
  checkFile(path);
  const range: DecodeOptions = {};
  if (opts.offset !== undefined) range.offset = opts.offset;
  if (opts.duration !== undefined) range.duration = opts.duration;
  if (opts.signal !== undefined) range.signal = opts.signal;
  return firstDecoderThatReads(path, opts, (kind) => decodeWith(kind, path, range));
}

/**
 * Several ranges of `path` at once, in the order asked (the analysis windows of a track): one
 * decoder process for all of them where decodeMono16k would start one per range. A range past
 * the real end of the audio comes back with 0 samples instead of failing the others.
 */
export async function decodeRangesMono16k(path: string, ranges: readonly DecodeRange[], opts: Omit<DecodeRequest, keyof DecodeRange> = {}): Promise<DecodedAudio[]> {
  for (const r of ranges) checkRange(path, r);
  checkFile(path);
  if (ranges.length === 0) return [];
  return firstDecoderThatReads(path, opts, (kind) => decodeRangesWith(kind, path, ranges, opts.signal));
}
