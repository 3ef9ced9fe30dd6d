// Persistence + landscapes throughput against GUDHI (cubical complex + numpy landscapes) measured
// in the same run, and the batched landscape branch against a PCNN forward pass in tfjs.
// `npm run bench -- features` prints these rows after the signal benchmarks (main.ts); this file
// also runs alone: node bench/features/persistence.ts [--seconds S]
import { fileURLToPath } from 'node:url';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { landscapes } from '../../src-main/features/landscape.ts';
import { landscapeBackward, landscapeBatch, segmentCount, type ActivationShape } from '../../src-main/features/landscape-batch.ts';
import { persistence0 } from '../../src-main/features/persistence.ts';
import { PCNN_CONFIG, landscapeSize } from '../../src-main/model/config.ts';
import { gudhiThroughput, hasGudhi } from '../../test/helpers/gudhi-ref.ts';
import { activationLike, seededRandom } from '../../test/helpers/sequences.ts';
import { bestOf, formatTable, type Row } from './table.ts';

const L = PCNN_CONFIG.segment.steps;
const params = PCNN_CONFIG.landscape;

const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en')} seq/s`;

/** A [batch, steps, channels] tensor of activation-like series (ReLU of smoothed noise). */
function activations(shape: ActivationShape, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const data = new Float32Array(shape.batch * shape.steps * shape.channels);
  for (let b = 0; b < shape.batch; b++) {
    for (let c = 0; c < shape.channels; c++) {
      const series = activationLike(rnd, shape.steps);
      for (let s = 0; s < shape.steps; s++) data[(b * shape.steps + s) * shape.channels + c] = series[s];
    }
  }
  return data;
}

/**
 * One PCNN forward pass in tfjs for `batch` windows of `frames` log-mel frames (DESIGN.md network):
 * front-end convolution, both branches (the landscape branch through the activations' download,
 * landscapeBatch and an upload, as a tfjs layer does it), concatenation and the head. Returns
 * the total and the landscape branch's time in ms, best of a few runs.
 */
async function pcnnForward(batch: number, frames: number, seconds: number): Promise<{ backend: string; totalMs: number; landscapeMs: number; steps: number }> {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm').catch(() => false))) await tf.setBackend('cpu');
  await tf.ready();
  const cfg = PCNN_CONFIG;
  const { filters, frames: span, bands, poolTime } = cfg.frontEnd;
  const rnd = seededRandom(17);
  const w = (shape: number[], fanIn: number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rnd() * 2 - 1) / Math.sqrt(fanIn)), shape);
  const conv = w([span, bands, 1, filters], span * bands);
  const bias = tf.fill([filters], 0.05);
  const branch = w([filters, cfg.convBranch.channels], filters);
  const lsize = landscapeSize();
  const h1 = w([cfg.convBranch.channels + lsize, cfg.head.units[0]], cfg.convBranch.channels + lsize);
  const h2 = w([cfg.head.units[0], cfg.head.units[1]], cfg.head.units[0]);
  const tags = 50;
  const out = w([cfg.head.units[1], tags], cfg.head.units[1]);
  const input = tf.randomNormal([batch, frames, bands, 1], 0, 1, 'float32', 3);

  let landscapeMs = Infinity;
  let totalMs = Infinity;
  let steps: number;
  const until = performance.now() + seconds * 1000;
  do {
    const t0 = performance.now();
    const front = tf.tidy(() => {
      const y = tf.relu(tf.add(tf.conv2d(input as Tensor4D, conv as Tensor4D, 1, 'valid'), bias));
      const pooled = tf.maxPool(y as Tensor4D, [poolTime, 1], [poolTime, 1], 'valid');
      return tf.reshape(pooled, [batch, pooled.shape[1], filters]);
    });
    steps = front.shape[1] as number;
    const S = segmentCount(steps);
    // Landscape branch: what a tfjs layer around landscapeBatch pays (download, compute, upload).
    const l0 = performance.now();
    const acts = front.dataSync() as Float32Array;
    const lb = landscapeBatch(acts, { batch, steps, channels: filters });
    const lands = tf.tensor3d(lb.landscapes, [batch, S, lsize]);
    const l1 = performance.now();
    const probs = tf.tidy(() => {
      const used = tf.slice(front, [0, 0, 0], [batch, S * L, filters]);
      const wide = tf.relu(tf.matMul(tf.reshape(used, [batch * S * L, filters]), branch as Tensor2D));
      const convBranch = tf.max(tf.reshape(wide, [batch, S, L, cfg.convBranch.channels]), 2);
      const both = tf.reshape(tf.concat([convBranch, lands], 2), [batch * S, cfg.convBranch.channels + lsize]);
      const a1 = tf.relu(tf.matMul(both, h1 as Tensor2D));
      const a2 = tf.relu(tf.matMul(a1, h2 as Tensor2D));
      return tf.mean(tf.reshape(tf.sigmoid(tf.matMul(a2, out as Tensor2D)), [batch, S, tags]), 1);
    });
    await probs.data();
    const t1 = performance.now();
    front.dispose();
    lands.dispose();
    probs.dispose();
    landscapeMs = Math.min(landscapeMs, l1 - l0);
    totalMs = Math.min(totalMs, t1 - t0);
  } while (performance.now() < until);
  tf.dispose([conv, bias, branch, h1, h2, out, input]);
  return { backend: tf.getBackend(), totalMs, landscapeMs, steps };
}

export async function runPersistenceBench(opts: { seconds?: number } = {}): Promise<Row[]> {
  const seconds = opts.seconds ?? 2;
  const rows: Row[] = [];
  const count = 2048;
  const rnd = seededRandom(2024);
  const sequences = Array.from({ length: count }, () => activationLike(rnd, L));
  const typed = sequences.map((s) => Float32Array.from(s));

  // 1. The single-sequence API, one (segment, channel) sequence at a time.
  const singleMs = await bestOf(seconds, () => {
    for (const s of typed) landscapes(persistence0(s), params);
  });
  // 2. The batched form over the same sequences laid out as [1, 32, 2048] (channels = sequences).
  const shape = { batch: 1, steps: L, channels: count };
  const tensor = new Float32Array(L * count);
  sequences.forEach((s, c) => s.forEach((v, t) => (tensor[t * count + c] = v)));
  const batchMs = await bestOf(seconds, () => landscapeBatch(tensor, shape));
  const single = (count / singleMs) * 1000;
  const batched = (count / batchMs) * 1000;

  if (hasGudhi()) {
    const ref = gudhiThroughput(sequences, params, seconds);
    const label = `GUDHI ${ref.gudhi} cubical + numpy`;
    rows.push({ benchmark: 'persistence+landscapes, 32 values (persistence0 + landscapes)', betti: rate(single), reference: `${rate(ref.perSecond)} (${label})`, ratio: `${(single / ref.perSecond).toFixed(1)}×` });
    rows.push({ benchmark: 'persistence+landscapes, 32 values (landscapeBatch)', betti: rate(batched), reference: `${rate(ref.perSecond)} (${label})`, ratio: `${(batched / ref.perSecond).toFixed(1)}×` });
  } else {
    rows.push({ benchmark: 'persistence+landscapes, 32 values (persistence0 + landscapes)', betti: rate(single), reference: 'GUDHI missing (apt-get install python3-gudhi)', ratio: '–' });
    rows.push({ benchmark: 'persistence+landscapes, 32 values (landscapeBatch)', betti: rate(batched), reference: 'GUDHI missing', ratio: '–' });
  }

  // 3. A realistic window batch: 16 windows of 10 s at 16 kHz, hop 512 (313 frames) → 76 steps.
  const frames = 313;
  const fwd = await pcnnForward(16, frames, seconds);
  const windowShape = { batch: 16, steps: fwd.steps, channels: PCNN_CONFIG.frontEnd.filters };
  const acts = activations(windowShape, 9);
  const forwardMs = await bestOf(seconds, () => landscapeBatch(acts, windowShape));
  const result = landscapeBatch(acts, windowShape);
  const upstream = new Float32Array(result.landscapes.length).fill(1);
  const grad = new Float32Array(acts.length);
  const backwardMs = await bestOf(seconds, () => landscapeBackward(result.routing, upstream, windowShape, grad));
  const ref = `PCNN forward ${fwd.totalMs.toFixed(1)} ms (tfjs ${fwd.backend}, 16 × ${frames} frames)`;
  const share = (ms: number) => `${((100 * ms) / fwd.totalMs).toFixed(1)}% of forward`;
  rows.push({ benchmark: `landscape forward, 16 × ${fwd.steps} steps × 64 ch`, betti: `${forwardMs.toFixed(2)} ms (${(forwardMs / 16).toFixed(3)} ms/window)`, reference: ref, ratio: share(forwardMs) });
  rows.push({ benchmark: 'landscape branch inside that forward (download + forward + upload)', betti: `${fwd.landscapeMs.toFixed(2)} ms`, reference: ref, ratio: share(fwd.landscapeMs) });
  rows.push({ benchmark: `landscape backward, 16 × ${fwd.steps} × 64`, betti: `${backwardMs.toFixed(2)} ms`, reference: ref, ratio: share(backwardMs) });
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--seconds');
  const seconds = at > 0 ? Number(process.argv[at + 1]) : 2;
  if (!(seconds > 0)) {
    console.error('usage: node bench/features/persistence.ts [--seconds S]');
    process.exit(2);
  }
  console.log(formatTable(await runPersistenceBench({ seconds })));
}
