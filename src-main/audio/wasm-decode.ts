// The decoder of last resort: audio-decode's WebAssembly/JS codecs (no executable needed), mixed to
// mono and resampled here. It decodes the whole file even for a range (no seeking), and reads the
// formats audio-decode knows (mp3, flac, ogg vorbis/opus, m4a/aac, wav, aiff, …).
import { readFile } from 'node:fs/promises';
import { FEATURE_SPEC } from '../features/spec.ts';
import type { DecodedAudio, DecodeOptions } from './decoded-audio.ts';
import { samplesFor } from './decoded-audio.ts';
import { DecodeError } from './errors.ts';
import { resamplerFor } from './resample.ts';

export const WASM_DECODER_NAME = 'wasm/betti-sinc';

/** Mean of the channels, clamped to [-1, 1]. */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  const length = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(length);
  const scale = 1 / channels.length;
  for (const c of channels) for (let i = 0; i < length; i++) out[i]! += c[i]!;
  for (let i = 0; i < length; i++) {
    const v = out[i]! * scale;
    out[i] = v > 1 ? 1 : v < -1 ? -1 : v;
  }
  return out;
}

export async function decodeWithWasm(path: string, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  const { default: decode } = await import('audio-decode');
  let bytes: Buffer;
  try {
    bytes = await readFile(path, opts.signal ? { signal: opts.signal } : {});
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw new DecodeError('cancelled', path, 'cancelled', { cause: err });
    throw new DecodeError('not-found', path, `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  let audio: { channelData: Float32Array[]; sampleRate: number };
  try {
    audio = await decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A codec package left out of the app (the GPL-2.0-only AAC decoder, see electron.config.ts) reads as unsupported, not damaged.
    if (/unknown audio format|unsupported|no audio track|cannot find (module|package)/i.test(message)) {
      throw new DecodeError('unsupported-format', path, message, { hint: 'Install ffmpeg: the built-in decoders read fewer formats.', cause: err });
    }
    throw new DecodeError('decode-failed', path, `the audio data is damaged (${message})`, { hint: 'The file may be truncated or corrupt: re-rip or re-download it.', cause: err });
  }
  if (opts.signal?.aborted) throw new DecodeError('cancelled', path, 'cancelled', { cause: opts.signal.reason });
  if (audio.channelData.length === 0 || !(audio.sampleRate > 0) || audio.channelData[0]!.length === 0) {
    throw new DecodeError('decode-failed', path, 'the built-in decoder found no decodable audio in it', { hint: 'The file may be damaged or truncated: re-rip or re-download it, or install ffmpeg for a more detailed report.' });
  }
  const mono = mixToMono(audio.channelData);
  const inRate = audio.sampleRate;
  const start = Math.round((opts.offset ?? 0) * inRate);
  const resampler = resamplerFor(inRate, FEATURE_SPEC.sampleRate);
  const available = resampler.outputLength(mono.length, Math.min(start, mono.length));
  const count = opts.duration === undefined ? available : Math.min(available, samplesFor(opts.duration));
  if (count === 0) {
    const where = opts.offset ? ` at ${opts.offset} s (the file is ${(mono.length / inRate).toFixed(1)} s long)` : '';
    throw new DecodeError('decode-failed', path, `no audio decoded${where}`);
  }
  const samples = resampler.process(mono, { start, count });
  // Resampling can overshoot [-1, 1] by the filter's ripple on near-full-scale transients.
  for (let i = 0; i < samples.length; i++) samples[i] = Math.max(-1, Math.min(1, samples[i]!));
  return { samples, sampleRate: FEATURE_SPEC.sampleRate, durationSec: samples.length / FEATURE_SPEC.sampleRate, decoder: WASM_DECODER_NAME };
}
