// The signal half of bench/features: decoding (each decoder against `ffmpeg -f null` of the same
// range, i.e. ffmpeg demuxing + decoding and nothing else) and log-mel throughput against the numpy
// implementation of the same definitions (test/helpers/logmel_ref.py), both measured in this run.
//   node bench/features/signal.ts [--seconds S]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMono16k, type DecoderKind } from '../../src-main/audio/decode.ts';
import { findBundledFfmpeg, findSystemFfmpeg } from '../../src-main/audio/ffmpeg-binaries.ts';
import { logMel } from '../../src-main/features/logmel.ts';
import { ffmpeg } from '../../test/helpers/ffmpeg-fixtures.ts';
import { sharedDataDir, sharedDataSkip } from '../../test/helpers/shared-data.ts';
import { bestOf, formatTable, type Row } from './table.ts';

const PYTHON = '/usr/bin/python3';
const logmelRef = fileURLToPath(new URL('../../test/helpers/logmel_ref.py', import.meta.url));

interface Input {
  label: string;
  path: string;
  offset?: number;
  duration?: number;
}

/** Time of `ffmpeg -f null` over the same range: the floor any ffmpeg-based decode pays. */
function ffmpegNull(binary: string, input: Input): Promise<void> {
  const args = ['-nostdin', '-hide_banner', '-v', 'error'];
  if (input.offset) args.push('-ss', String(input.offset));
  args.push('-i', input.path);
  if (input.duration) args.push('-t', String(input.duration));
  args.push('-map', '0:a:0', '-f', 'null', '-');
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg -f null exited ${code}`))));
  });
}

function makeInputs(dir: string): Input[] {
  // A 3-minute stereo 44.1 kHz track: two voices with vibrato and a little noise.
  const expr = '0.3*sin(2*PI*220*t+3*sin(2*PI*5*t))+0.05*(random(0)-0.5)|0.3*sin(2*PI*330*t)+0.1*sin(2*PI*2637*t)';
  const mp3 = join(dir, 'track.mp3');
  const flac = join(dir, 'track.flac');
  ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=${expr}:s=44100:d=180`, '-c:a', 'libmp3lame', '-b:a', '192k', mp3]);
  ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=${expr}:s=44100:d=180`, '-c:a', 'flac', flac]);
  const inputs: Input[] = [
    { label: '180 s stereo mp3, whole', path: mp3 },
    { label: '180 s stereo mp3, 10 s at 120 s', path: mp3, offset: 120, duration: 10 },
    { label: '180 s stereo flac, whole', path: flac },
    { label: '180 s stereo flac, 10 s at 120 s', path: flac, offset: 120, duration: 10 },
  ];
  if (!sharedDataSkip) {
    const dirOf = join(sharedDataDir, 'audio/wesnoth');
    const clip = readdirSync(dirOf).find((f) => f.endsWith('.ogg'));
    if (clip) inputs.push({ label: '10 s mono 22 kHz ogg (shared/data)', path: join(dirOf, clip) });
  }
  return inputs;
}

async function decodeRows(inputs: Input[], seconds: number): Promise<Row[]> {
  const binaries = { 'ffmpeg-system': findSystemFfmpeg(), 'ffmpeg-bundled': findBundledFfmpeg() };
  const decoders = (['ffmpeg-bundled', 'ffmpeg-system', 'wasm'] as const).filter((d) => d === 'wasm' || binaries[d] !== undefined);
  const rows: Row[] = [];
  for (const input of inputs) {
    const range = { ...(input.offset !== undefined ? { offset: input.offset } : {}), ...(input.duration !== undefined ? { duration: input.duration } : {}) };
    // Each ffmpeg decoder against `-f null` of the same binary (what we add: resampling, the pipe,
    // the mix); the wasm decoder against the system ffmpeg, the one a user would otherwise run.
    const nullMs: Partial<Record<DecoderKind, number>> = {};
    for (const kind of ['ffmpeg-system', 'ffmpeg-bundled'] as const) {
      const binary = binaries[kind];
      if (binary) nullMs[kind] = await bestOf(seconds, () => ffmpegNull(binary, input));
    }
    for (const decoder of decoders) {
      const refKind = decoder === 'wasm' ? (binaries['ffmpeg-system'] ? 'ffmpeg-system' : 'ffmpeg-bundled') : decoder;
      const refMs = nullMs[refKind];
      const ms = await bestOf(seconds, () => decodeMono16k(input.path, { ...range, decoder }));
      const name = (await decodeMono16k(input.path, { ...range, decoder })).decoder;
      rows.push({
        benchmark: `decode ${input.label}: ${name}`,
        betti: `${ms.toFixed(0)} ms`,
        reference: refMs === undefined ? 'no ffmpeg' : `${refMs.toFixed(0)} ms (${refKind} -f null)`,
        ratio: refMs === undefined ? '–' : `${(ms / refMs).toFixed(2)}× time`,
      });
    }
  }
  return rows;
}

async function logMelRows(seconds: number, dir: string): Promise<Row[]> {
  // 60 s of real audio when the data set is there, else a synthetic signal of the same length.
  let samples: Float32Array;
  let what: string;
  if (!sharedDataSkip) {
    const dirOf = join(sharedDataDir, 'audio/openmsx');
    const clips = readdirSync(dirOf).filter((f) => f.endsWith('.ogg')).slice(0, 6);
    const parts = await Promise.all(clips.map((c) => decodeMono16k(join(dirOf, c))));
    samples = new Float32Array(parts.reduce((n, p) => n + p.samples.length, 0));
    let at = 0;
    for (const p of parts) {
      samples.set(p.samples, at);
      at += p.samples.length;
    }
    what = `${(samples.length / 16000).toFixed(0)} s of shared/data openmsx clips`;
  } else {
    samples = new Float32Array(60 * 16000);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin(i * 0.05 + 0.00001 * i * i) + 0.05 * Math.sin(i * 1.3);
    what = '60 s synthetic signal';
  }
  const frames = logMel(samples).frames;
  const ms = await bestOf(seconds, () => logMel(samples), 5);
  const input = join(dir, 'logmel-bench.f32');
  writeFileSync(input, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  const r = spawnSync(PYTHON, [logmelRef, '--bench', String(seconds), input], { encoding: 'utf8' });
  const ours = (frames / ms) * 1000;
  if (r.status !== 0) {
    return [{ benchmark: `log-mel, ${what}`, betti: `${Math.round(ours).toLocaleString('en')} frames/s`, reference: `numpy unavailable (${r.stderr.trim().split('\n').at(-1)})`, ratio: '–' }];
  }
  const ref = JSON.parse(r.stdout) as { frames: number; best_s: number; numpy: string };
  const theirs = ref.frames / ref.best_s;
  return [
    {
      benchmark: `log-mel, ${what} (${frames} frames)`,
      betti: `${Math.round(ours).toLocaleString('en')} frames/s`,
      reference: `${Math.round(theirs).toLocaleString('en')} frames/s (numpy ${ref.numpy}, float64)`,
      ratio: `${(ours / theirs).toFixed(2)}×`,
    },
  ];
}

export async function runSignalBench(opts: { seconds?: number } = {}): Promise<Row[]> {
  const seconds = opts.seconds ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'betti-bench-features-'));
  try {
    const rows = await logMelRows(seconds, dir);
    rows.push(...(await decodeRows(makeInputs(dir), seconds)));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--seconds');
  const seconds = at > 0 ? Number(process.argv[at + 1]) : 2;
  if (!(seconds > 0)) {
    console.error('usage: node bench/features/signal.ts [--seconds S]');
    process.exit(2);
  }
  console.log(formatTable(await runSignalBench({ seconds })));
}
