// Decode any file the library scans to mono Float32 at the analysis rate, for the whole file or
// a time range. Decoders are tried in DECODER_ORDER (chosen by measurement: bench/features); a
// decoder that is missing on this machine, or that cannot read the format, hands over to the next.
// Damaged audio is not retried: every decoder would stumble on the same bytes.
import { statSync } from 'node:fs';
import type { DecodedAudio, DecodeOptions } from './decoded-audio.ts';
import { DecodeError, DecoderUnavailableError } from './errors.ts';
import { decodeWithFfmpeg } from './ffmpeg-decode.ts';
import { ffmpegBinary, type FfmpegSource } from './ffmpeg-binaries.ts';

export type { DecodedAudio, DecodeOptions } from './decoded-audio.ts';

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
  const order = opts.decoder ? [opts.decoder] : (opts.order ?? parseDecoderEnv(process.env.BETTI_DECODER) ?? DECODER_ORDER);
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
