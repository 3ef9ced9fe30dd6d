// Small audio files made by the Debian ffmpeg for decoding tests (no committed fixtures), and the
// signal measurements those tests use.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs ffmpeg (from PATH) quietly; throws with its stderr when it fails. */
export function ffmpeg(args: string[]): void {
  const r = spawnSync('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

/** Encoder options per container, for a file of `ext` from raw lavfi audio. */
export const formats: Record<string, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '4'],
  opus: ['-c:a', 'libopus', '-b:a', '96k'],
  m4a: ['-c:a', 'aac', '-b:a', '128k'],
  wav: ['-c:a', 'pcm_s16le'],
  aiff: ['-c:a', 'pcm_s16be'],
};

/**
 * Writes `dir/name.ext` from an aevalsrc expression (one per channel, `|`-separated).
 * Opus only takes 48 kHz, so the rate is forced there.
 */
export function makeAudio(dir: string, name: string, ext: string, opts: { exprs: string; seconds: number; rate?: number; layout?: string }): string {
  const path = join(dir, `${name}.${ext}`);
  const rate = ext === 'opus' ? 48000 : (opts.rate ?? 44100);
  const layout = opts.layout ? `:c=${opts.layout}` : '';
  const codec = formats[ext];
  if (!codec) throw new Error(`no encoder settings for .${ext}`);
  ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=${opts.exprs}:s=${rate}:d=${opts.seconds}${layout}`, ...codec, path]);
  return path;
}

/** Amplitude of the `freq` Hz component of `x[from … to)` (Goertzel); a sine of amplitude A gives ≈ A. */
export function toneMagnitude(x: Float32Array, sampleRate: number, freq: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * freq) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = x[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / (to - from); // ≈ amplitude of the sine at freq
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Bytes of a file's first audio stream as ffprobe counts its packets (no container framing, no tags). */
export function audioPacketBytes(path: string): number {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`ffprobe ${path} failed (${probe.status}): ${probe.stderr}`);
  return probe.stdout.split('\n').reduce((n, line) => n + (Number.parseInt(line, 10) || 0), 0); // lines like "73,", and blank ones
}

/** The number of packets (frames) in a file's first audio stream, as ffprobe counts them. */
export function audioPacketCount(path: string): number {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-count_packets', '-select_streams', 'a:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`ffprobe ${path} failed (${probe.status}): ${probe.stderr}`);
  return Number(probe.stdout.trim());
}
