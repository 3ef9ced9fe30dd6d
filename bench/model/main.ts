// `npm run bench -- model [--seconds S] [--model DIR]`: the shipped PCNN in tfjs against the same
// exported network in PyTorch (bench/model/torch_forward.py, CPU, one thread like tfjs-wasm in
// Node), all measured in this run on random 10-s windows (313 frames: 2 segments):
//   - forward ms per window at batch 1 and 16, on the wasm and cpu backends (target: wasm ≤ 1.5×
//     PyTorch);
//   - the landscape layer's share of the forward pass (target ≤ 10 %), PyTorch's share beside it;
//   - a whole track: predictTrack on a 4-minute mp3 (3 windows) against decoding those windows alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMono16k } from '../../src-main/audio/decode.ts';
import { centredFrameCount } from '../../src-main/features/stft.ts';
import { FEATURE_SPEC } from '../../src-main/features/spec.ts';
import { defaultModelDir, loadModel, type Backend, type LoadedModel } from '../../src-main/model/load.ts';
import { inputBands } from '../../src-main/model/model-files.ts';
import { predictTrack } from '../../src-main/model/predict.ts';
import { planWindows } from '../../src-main/model/window-plan.ts';
import { bestOf, formatTable, type Row } from '../features/table.ts';

function usage(message: string): never {
  console.error(`bench model: ${message}\nusage: npm run bench -- model [--seconds S] [--model DIR]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const seconds = Number(option('--seconds') ?? 2);
if (!(seconds > 0)) usage('--seconds must be a positive number');
const modelDir = option('--model') ?? defaultModelDir();

const WINDOW_SECONDS = 10;
const frames = centredFrameCount(WINDOW_SECONDS * FEATURE_SPEC.sampleRate, FEATURE_SPEC.hop);
const batches = [1, 16];

interface TorchResult {
  torch: string;
  threads: number;
  architecture: string;
  members: number;
  parityMaxDiff: number | null;
  results: { batch: number; msPerWindow: number; landscapeMsPerWindow: number }[];
}

function torchReference(): TorchResult {
  const script = fileURLToPath(new URL('./torch_forward.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, '--model', modelDir, '--frames', String(frames), '--batches', batches.join(','), '--seconds', String(seconds), '--threads', '1'], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) usage(`the PyTorch reference failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as TorchResult;
}

/** Deterministic standard-normal-ish input (the network sees standardised features). */
function randomInput(batch: number, bands: number): Float32Array {
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
  return Float32Array.from({ length: batch * frames * bands }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

interface TfjsResult {
  msPerWindow: number;
  landscapeShare: number;
}

async function measureTfjs(model: LoadedModel, batch: number): Promise<TfjsResult> {
  const x = randomInput(batch, inputBands(model.config));
  for (const m of model.members) m.forward(x, batch, frames); // warm-up: kernels compiled, buffers allocated
  let bestTotal = Infinity;
  let share = 0;
  await bestOf(seconds, () => {
    // The shipped prediction runs every member (predict.ts), so the whole ensemble is timed.
    const t0 = performance.now();
    const landscapeMs = model.members.reduce((sum, m) => sum + m.forward(x, batch, frames).timing.landscapeMs, 0);
    const total = performance.now() - t0;
    if (total < bestTotal) {
      bestTotal = total;
      share = landscapeMs / total;
    }
  });
  return { msPerWindow: bestTotal / batch, landscapeShare: share };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

console.log(`# PCNN inference: tfjs vs PyTorch (${modelDir})\n`);
console.log(`${WINDOW_SECONDS}-s windows = ${frames} frames; best of runs over ~${seconds} s each; PyTorch on the CPU with 1 thread (tfjs-wasm runs single-threaded in Node).\n`);
const torch = torchReference();
console.log(`The shipped PCNN is ${torch.members} network(s) whose probabilities are averaged; both sides time all of them.\n`);
const rows: Row[] = [];
const shares: { backend: Backend; batch: number; share: number }[] = [];
for (const backend of ['wasm', 'cpu'] as Backend[]) {
  const model = await loadModel({ dir: modelDir, backend, architecture: 'pcnn' });
  try {
    for (const batch of batches) {
      const t = await measureTfjs(model, batch);
      const ref = torch.results.find((r) => r.batch === batch)!;
      rows.push({
        benchmark: `forward, batch ${batch}, tfjs-${backend} (ms per window)`,
        betti: ms(t.msPerWindow),
        reference: `PyTorch ${ms(ref.msPerWindow)}`,
        ratio: `${(t.msPerWindow / ref.msPerWindow).toFixed(2)}×${backend === 'wasm' ? ' (target ≤ 1.5×)' : ''}`,
      });
      shares.push({ backend, batch, share: t.landscapeShare });
    }
  } finally {
    model.dispose();
  }
}
for (const s of shares) {
  const ref = torch.results.find((r) => r.batch === s.batch)!;
  const refShare = ref.landscapeMsPerWindow / ref.msPerWindow;
  rows.push({
    benchmark: `landscape layer share of forward, batch ${s.batch}, tfjs-${s.backend}`,
    betti: pct(s.share),
    reference: `PyTorch ${pct(refShare)}`,
    ratio: `${(s.share / refShare).toFixed(2)}× (target share ≤ 10 %)`,
  });
}
console.log(formatTable(rows));
console.log(`\nPyTorch ${torch.torch}, ${torch.threads} thread(s); its copy of the shipped weights reproduces parity.json to ${torch.parityMaxDiff ?? 'n/a'} (max |Δ probability|).`);

// ---- a whole track, as `betti predict` and the analysis workers run it ----
const dir = mkdtempSync(join(tmpdir(), 'betti-bench-model-'));
try {
  const mp3 = join(dir, 'four-minutes.mp3');
  const gen = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'aevalsrc=0.3*sin(2*PI*(220+20*sin(t))*t)+0.1*(random(0)*2-1):s=44100:d=240', '-c:a', 'libmp3lame', '-b:a', '192k', mp3], { encoding: 'utf8' });
  if (gen.status !== 0) usage(`ffmpeg could not make the test track: ${gen.stderr}`);
  const model = await loadModel({ dir: modelDir, architecture: 'pcnn' });
  try {
    await predictTrack(model, mp3);
    let timing = { decodeMs: 0, logMelMs: 0, convMs: 0, landscapeMs: 0, restMs: 0 };
    let fastest = Infinity;
    const track = await bestOf(seconds * 2, async () => {
      const t0 = performance.now();
      const p = await predictTrack(model, mp3);
      if (performance.now() - t0 < fastest) {
        fastest = performance.now() - t0;
        timing = p.timing;
      }
    });
    const plan = planWindows(240, model.window);
    const decodeOnly = await bestOf(seconds * 2, async () => {
      for (const w of plan) await decodeMono16k(mp3, w);
    });
    console.log(
      `\n${formatTable([
        {
          benchmark: `predictTrack, 4-min mp3, ${plan.length} windows, tfjs-${model.backend}`,
          betti: `${ms(track)} (${(1000 / track).toFixed(1)} tracks/s)`,
          reference: `decoding the windows only ${ms(decodeOnly)}`,
          ratio: `${(track / decodeOnly).toFixed(2)}×`,
        },
      ])}`,
    );
    const parts = Object.entries(timing).map(([k, v]) => `${k.replace(/Ms$/, '')} ${v.toFixed(1)} ms`);
    console.log(`fastest run: ${parts.join(', ')} (target ≥ 5 tracks/s per core)`);
  } finally {
    model.dispose();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
