// Decoding with an ffmpeg executable: seek before opening (-ss before -i, so a 10 s window of a
// long file costs about 10 s of decoding), resample with an anti-aliasing filter, stream 32-bit
// float WAV to a pipe per range (stdout, then fds 3, 4, …) and mix it to mono as we read it.
import { spawn } from 'node:child_process';
import { FEATURE_SPEC } from '../features/spec.ts';
import type { DecodedAudio, DecodeOptions, DecodeRange } from './decoded-audio.ts';
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

const OUTPUT_ARGS = ['-c:a', 'pcm_f32le', '-map_metadata', '-1', '-fflags', '+bitexact', '-f', 'wav'];

/** The file descriptor ffmpeg writes output `i` to: stdout for the first, then 3, 4, … (2 is stderr). */
const outputFd = (i: number) => (i === 0 ? 1 : i + 2);

/**
 * One ffmpeg run that decodes every range of `path`: each range is an input of its own (seeking
 * before opening) and an output of its own on its own pipe. Starting ffmpeg from an analysis
 * worker takes 4–6 ms, about half of what decoding a 4.3-s window costs (measured), so a track's
 * windows share one run.
 */
export function ffmpegArgs(binary: FfmpegBinary, path: string, ranges: readonly DecodeRange[]): string[] {
  const args = ['-nostdin', '-hide_banner', '-v', 'error'];
  for (const r of ranges) {
    // fastseek: without it ffmpeg reaches an offset in an mp3 by reading every frame before it,
    // which costs more than decoding the window (a third of the decoder's time at 3 windows per
    // 4-minute track, bench/analysis). With it, a CBR mp3 still lands on the exact sample; a VBR
    // mp3 without a seek table lands up to ~0.3 s off, which moves a window, not what it holds.
    // Every range decode goes through here, so the inspector re-decodes what the analysis heard.
    if (r.offset !== undefined && r.offset > 0) args.push('-fflags', '+fastseek', '-ss', r.offset.toFixed(6));
    args.push('-i', path);
  }
  ranges.forEach((r, i) => {
    args.push('-map', `${i}:a:0`);
    if (r.duration !== undefined) args.push('-t', r.duration.toFixed(6));
    args.push('-af', binary.soxr ? RESAMPLE_SOXR : RESAMPLE_SWR, ...OUTPUT_ARGS, `pipe:${outputFd(i)}`);
  });
  return args;
}

export function ffmpegDecoderName(binary: FfmpegBinary): string {
  return `ffmpeg-${binary.source}/${binary.soxr ? 'soxr' : 'swr'}`;
}

/** Most ranges one ffmpeg run decodes (each holds a pipe and an open file); more take further runs. */
export const MAX_RANGES_PER_RUN = 16;

const HINTS = {
  format: 'Check that the file is audio and plays in a media player; Betti reads what ffmpeg reads.',
  damaged: 'The file may be damaged or truncated: re-rip or re-download it, or leave it out of analysis.',
};

/** Decodes each range in one ffmpeg run; a range past the end of the audio gives 0 samples. */
function runFfmpeg(binary: FfmpegBinary, path: string, ranges: readonly DecodeRange[], signal: AbortSignal | undefined): Promise<{ decoded: Float32Array[]; stderr: string }> {
  const sinks = ranges.map((r) => {
    const limit = r.duration === undefined ? undefined : samplesFor(r.duration);
    return new MonoWavSink(limit === undefined ? {} : { expected: limit, limit });
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(err);
    };
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe', ...ranges.slice(1).map(() => 'pipe' as const)];
    const child = spawn(binary.path, ffmpegArgs(binary, path, ranges), { stdio, ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      stderr = (stderr + s).slice(-STDERR_KEEP);
    });
    sinks.forEach((sink, i) => {
      const out = child.stdio[outputFd(i)] as NodeJS.ReadableStream;
      out.on('data', (chunk: Buffer) => {
        try {
          sink.write(chunk);
        } catch (err) {
          fail(new DecodeError('decode-failed', path, `unreadable decoder output (${(err as Error).message})`, { cause: err }));
        }
      });
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') fail(new DecodeError('cancelled', path, 'cancelled', { cause: err }));
      else fail(new DecoderUnavailableError(ffmpegDecoderName(binary), `${binary.path} did not start (${err.code ?? err.message})`));
    });
    child.on('close', (code, sig) => {
      if (settled) return;
      const problem = ffmpegProblem(stderr, path, sig ? null : code);
      if (problem) {
        const hint = problem.kind === 'unsupported-format' ? HINTS.format : HINTS.damaged;
        fail(new DecodeError(problem.kind, path, sig ? `ffmpeg was killed by ${sig}` : problem.reason, { hint }));
        return;
      }
      const decoded: Float32Array[] = [];
      for (const sink of sinks) {
        try {
          decoded.push(sink.finish());
        } catch (err) {
          fail(new DecodeError('decode-failed', path, `unreadable decoder output (${(err as Error).message})`, { cause: err }));
          return;
        }
        if (sink.length > 0 && sink.sampleRate !== FEATURE_SPEC.sampleRate) {
          fail(new DecodeError('decode-failed', path, `ffmpeg resampled to ${sink.sampleRate} Hz instead of ${FEATURE_SPEC.sampleRate} Hz`));
          return;
        }
      }
      settled = true;
      resolve({ decoded, stderr });
    });
  });
}

const decodedAudio = (binary: FfmpegBinary, samples: Float32Array): DecodedAudio => ({
  samples,
  sampleRate: FEATURE_SPEC.sampleRate,
  durationSec: samples.length / FEATURE_SPEC.sampleRate,
  decoder: ffmpegDecoderName(binary),
});

/** The range of `path` that `opts` names (default: all of it); an error when it holds no audio. */
export async function decodeWithFfmpeg(binary: FfmpegBinary, path: string, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  const {
    decoded: [samples],
    stderr,
  } = await runFfmpeg(binary, path, [opts], opts.signal);
  if (samples!.length === 0) {
    const where = opts.offset ? ` at ${opts.offset} s (the file may be shorter)` : '';
    throw new DecodeError('decode-failed', path, `no audio decoded${where}${stderr ? `: ${cleanFfmpegStderr(stderr, path)}` : ''}`);
  }
  return decodedAudio(binary, samples!);
}

/**
 * Several ranges of `path`, in order, decoded by as few ffmpeg runs as MAX_RANGES_PER_RUN allows.
 * A range that lies past the real end of the audio (headers can promise more) comes back empty
 * rather than failing the others.
 */
export async function decodeRangesWithFfmpeg(binary: FfmpegBinary, path: string, ranges: readonly DecodeRange[], signal?: AbortSignal): Promise<DecodedAudio[]> {
  const out: DecodedAudio[] = [];
  for (let i = 0; i < ranges.length; i += MAX_RANGES_PER_RUN) {
    const { decoded } = await runFfmpeg(binary, path, ranges.slice(i, i + MAX_RANGES_PER_RUN), signal);
    out.push(...decoded.map((samples) => decodedAudio(binary, samples)));
  }
  return out;
}
