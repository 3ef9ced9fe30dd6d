// Decoding with an ffmpeg executable: seek before opening (-ss before -i, so a 10 s window of a
// long file costs about 10 s of decoding), resample with an anti-aliasing filter, stream 32-bit
// float WAV on stdout and mix it to mono as we read it.
import { spawn } from 'node:child_process';
import { FEATURE_SPEC } from '../features/spec.ts';
import type { DecodedAudio, DecodeOptions } from './decoded-audio.ts';
import { samplesFor } from './decoded-audio.ts';
import { DecodeError, DecoderUnavailableError } from './errors.ts';
import { cleanFfmpegStderr, ffmpegProblem } from './ffmpeg-stderr.ts';
import type { FfmpegBinary } from './ffmpeg-binaries.ts';
import { MonoWavSink } from './wav-mono-sink.ts';

// soxr (HQ) is steep: ≥ 80 dB below 0 for tones that would alias, flat to ~7.5 kHz. Builds without
// libsoxr use swresample with a long windowed-sinc that measures the same (bench/features), ~3× slower.
const RESAMPLE_SOXR = `aresample=${FEATURE_SPEC.sampleRate}:resampler=soxr`;
const RESAMPLE_SWR = `aresample=${FEATURE_SPEC.sampleRate}:filter_size=256:cutoff=0.95`;

const STDERR_KEEP = 16 * 1024;

export function ffmpegArgs(binary: FfmpegBinary, path: string, opts: DecodeOptions): string[] {
  const args = ['-nostdin', '-hide_banner', '-v', 'error'];
  if (opts.offset !== undefined && opts.offset > 0) args.push('-ss', opts.offset.toFixed(6));
  args.push('-i', path);
  if (opts.duration !== undefined) args.push('-t', opts.duration.toFixed(6));
  args.push('-map', '0:a:0', '-af', binary.soxr ? RESAMPLE_SOXR : RESAMPLE_SWR);
  args.push('-c:a', 'pcm_f32le', '-map_metadata', '-1', '-fflags', '+bitexact', '-f', 'wav', 'pipe:1');
  return args;
}

export function ffmpegDecoderName(binary: FfmpegBinary): string {
  return `ffmpeg-${binary.source}/${binary.soxr ? 'soxr' : 'swr'}`;
}

export function decodeWithFfmpeg(binary: FfmpegBinary, path: string, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  const limit = opts.duration === undefined ? undefined : samplesFor(opts.duration);
  const sink = new MonoWavSink(limit === undefined ? {} : { expected: limit, limit });
  return new Promise<DecodedAudio>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(err);
    };
    const child = spawn(binary.path, ffmpegArgs(binary, path, opts), {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-STDERR_KEEP);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      try {
        sink.write(chunk);
      } catch (err) {
        fail(new DecodeError('decode-failed', path, `unreadable decoder output (${(err as Error).message})`, { cause: err }));
      }
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') fail(new DecodeError('cancelled', path, 'cancelled', { cause: err }));
      else fail(new DecoderUnavailableError(ffmpegDecoderName(binary), `${binary.path} did not start (${err.code ?? err.message})`));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      const problem = ffmpegProblem(stderr, path, signal ? null : code);
      if (problem) {
        const hint =
          problem.kind === 'unsupported-format'
            ? 'Check that the file is audio and plays in a media player; Betti reads what ffmpeg reads.'
            : 'The file may be damaged or truncated: re-rip or re-download it, or leave it out of analysis.';
        fail(new DecodeError(problem.kind, path, signal ? `ffmpeg was killed by ${signal}` : problem.reason, { hint }));
        return;
      }
      let samples: Float32Array;
      try {
        samples = sink.finish();
      } catch (err) {
        fail(new DecodeError('decode-failed', path, `unreadable decoder output (${(err as Error).message})`, { cause: err }));
        return;
      }
      if (samples.length === 0) {
        const where = opts.offset ? ` at ${opts.offset} s (the file may be shorter)` : '';
        fail(new DecodeError('decode-failed', path, `no audio decoded${where}${stderr ? `: ${cleanFfmpegStderr(stderr, path)}` : ''}`));
        return;
      }
      if (sink.sampleRate !== FEATURE_SPEC.sampleRate) {
        fail(new DecodeError('decode-failed', path, `ffmpeg resampled to ${sink.sampleRate} Hz instead of ${FEATURE_SPEC.sampleRate} Hz`));
        return;
      }
      settled = true;
      resolve({ samples, sampleRate: FEATURE_SPEC.sampleRate, durationSec: samples.length / FEATURE_SPEC.sampleRate, decoder: ffmpegDecoderName(binary) });
    });
  });
}
