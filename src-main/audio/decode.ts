// Decode any file the library scans to mono Float32 at the analysis rate, for the whole file or
// a time range. Decoders are tried in DECODER_ORDER (chosen by measurement: bench/features); a
// decoder that is missing on this machine, or that cannot read the format, hands over to the next.
import { statSync } from 'node:fs';
import type { DecodedAudio, DecodeOptions } from './decoded-audio.ts';
import { DecodeError, DecoderUnavailableError } from './errors.ts';
import { decodeWithFfmpeg } from './ffmpeg-decode.ts';
import { ffmpegBinary, type FfmpegSource } from './ffmpeg-binaries.ts';

export type { DecodedAudio, DecodeOptions } from './decoded-audio.ts';

export const decoderKinds = ['ffmpeg-system', 'ffmpeg-bundled', 'wasm'] as const;
export type DecoderKind = (typeof decoderKinds)[number];

/**
 * The fallback order. ffmpeg first: it reads every format the library scans, seeks without decoding
 * what precedes the range, and resamples with soxr. The user's own ffmpeg before the bundled 2018
 * static build (newer codecs and fixes); the wasm decoders last, for machines where no ffmpeg runs.
 */
export const DECODER_ORDER: readonly DecoderKind[] = ['ffmpeg-system', 'ffmpeg-bundled', 'wasm'];

export interface DecodeRequest extends DecodeOptions {
  /** Use only this decoder (tests, benchmarks); default: BETTI_DECODER, else DECODER_ORDER. */
  decoder?: DecoderKind;
}

function parseDecoderEnv(value: string | undefined): DecoderKind | undefined {
  if (value === undefined || value === '' || value === 'auto') return undefined;
  if ((decoderKinds as readonly string[]).includes(value)) return value as DecoderKind;
  throw new DecodeError('unsupported-format', `BETTI_DECODER=${value}`, `unknown decoder`, { hint: `Set BETTI_DECODER to one of: auto, ${decoderKinds.join(', ')}.` });
}

async function decodeWith(kind: DecoderKind, path: string, opts: DecodeOptions): Promise<DecodedAudio> {
  if (kind === 'wasm') {
    const { decodeWithWasm } = await import('./wasm-decode.ts');
    return decodeWithWasm(path, opts);
  }
  const source: FfmpegSource = kind === 'ffmpeg-system' ? 'system' : 'bundled';
  const binary = await ffmpegBinary(source);
  if (!binary) {
    throw new DecoderUnavailableError(kind, source === 'system' ? 'no ffmpeg on PATH (or at BETTI_FFMPEG)' : 'the @ffmpeg-installer package for this platform is not installed');
  }
  return decodeWithFfmpeg(binary, path, opts);
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
      hint: 'It may have been moved or deleted; run `betti scan` on its folder again.',
      cause: err,
    });
  }
  if (!isFile) throw new DecodeError('unsupported-format', path, 'not a regular file');
}

/** Mono samples at 16 kHz of `path`, or of the range [offset, offset + duration) seconds of it. */
export async function decodeMono16k(path: string, opts: DecodeRequest = {}): Promise<DecodedAudio> {
  checkRange(path, opts);
  checkFile(path);
  const chosen = opts.decoder ?? parseDecoderEnv(process.env.BETTI_DECODER);
  const order = chosen ? [chosen] : DECODER_ORDER;
  const range: DecodeOptions = {};
  if (opts.offset !== undefined) range.offset = opts.offset;
  if (opts.duration !== undefined) range.duration = opts.duration;
  if (opts.signal !== undefined) range.signal = opts.signal;
  let firstFormatError: DecodeError | undefined;
  let lastUnavailable: DecoderUnavailableError | undefined;
  for (const kind of order) {
    if (opts.signal?.aborted) throw new DecodeError('cancelled', path, 'cancelled', { cause: opts.signal.reason });
    try {
      return await decodeWith(kind, path, range);
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
