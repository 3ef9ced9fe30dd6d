// The landscape layer the tfjs network calls (src-main/features/landscape-batch.ts) equals the
// PyTorch layer the model was trained with (training/pcnn/landscape.py) and GUDHI, on the same
// activations: synthetic ones full of ties, plateaus and ReLU zeros, and the real front-end
// activations of the shipped PCNN on the parity inputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { landscapeBatch } from '../../src-main/features/landscape-batch.ts';
import { PCNN_CONFIG, type LandscapeParams, type SegmentParams } from '../../src-main/model/config.ts';
import { loadModel } from '../../src-main/model/load.ts';
import { standardise } from '../../src-main/model/network-input.ts';
import { gudhiReference, PYTHON } from '../helpers/gudhi-ref.ts';
import { families, seededRandom, type Family } from '../helpers/sequences.ts';
import { shippedModelDir } from '../helpers/shipped-model.ts';

const script = fileURLToPath(new URL('../helpers/torch_landscape_ref.py', import.meta.url));
const TOLERANCE = 1e-6;

interface Shape {
  batch: number;
  steps: number;
  channels: number;
}

function torchLandscapes(activations: Float32Array, shape: Shape, segment: SegmentParams, landscape: LandscapeParams): { segments: number; landscapes: number[] } {
  const input = JSON.stringify({ activations: Array.from(activations), shape: [shape.batch, shape.steps, shape.channels], segment, landscape });
  const r = spawnSync(PYTHON, [script], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `torch_landscape_ref.py failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as { segments: number; landscapes: number[] };
}

/** Every (batch, segment, channel) sequence of the activations, in the layer's output order. */
function segmentSequences(activations: Float32Array, shape: Shape, segment: SegmentParams, segments: number): number[][] {
  const out: number[][] = [];
  for (let b = 0; b < shape.batch; b++) {
    for (let s = 0; s < segments; s++) {
      for (let c = 0; c < shape.channels; c++) {
        const seq: number[] = [];
        for (let m = 0; m < segment.steps; m++) seq.push(activations[(b * shape.steps + s * segment.stride + m) * shape.channels + c]!);
        out.push(seq);
      }
    }
  }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; at: number } {
  assert.equal(a.length, b.length);
  let diff = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= diff)) {
      diff = d;
      at = i;
    }
  }
  return { diff, at };
}

/** TS vs PyTorch vs GUDHI on one activation tensor. */
function checkAll(activations: Float32Array, shape: Shape, what: string): void {
  const { segment, landscape } = PCNN_CONFIG;
  const ts = landscapeBatch(activations, shape, { segment, landscape });
  const torch = torchLandscapes(activations, shape, segment, landscape);
  assert.equal(ts.segments, torch.segments, `${what}: segments`);
  assert.ok(ts.segments >= 1);
  const vsTorch = maxDiff(ts.landscapes, torch.landscapes);
  assert.ok(vsTorch.diff <= TOLERANCE, `${what}: TS vs PyTorch differ by ${vsTorch.diff} at ${vsTorch.at}`);

  const kp = landscape.k * landscape.points;
  const gudhi = gudhiReference(segmentSequences(activations, shape, segment, ts.segments), landscape);
  gudhi.landscapes.forEach((row, n) => {
    const d = maxDiff(ts.landscapes.subarray(n * kp, (n + 1) * kp), row);
    assert.ok(d.diff <= TOLERANCE, `${what}: sequence ${n} differs from GUDHI ${gudhi.gudhi} by ${d.diff}`);
  });
}

describe('the landscape layer: TypeScript = PyTorch = GUDHI', () => {
  it('agrees on synthetic activations with ties, plateaus and ReLU zeros, trailing steps dropped', () => {
    const rnd = seededRandom(20261125);
    const names = Object.keys(families) as Family[];
    // 3 windows × 102 steps × 10 channels: 3 segments each, 6 trailing steps that belong to none.
    const shape = { batch: 3, steps: 102, channels: 10 };
    const activations = new Float32Array(shape.batch * shape.steps * shape.channels);
    for (let b = 0; b < shape.batch; b++) {
      for (let c = 0; c < shape.channels; c++) {
        const seq = families[names[(b * shape.channels + c) % names.length]!](rnd, shape.steps);
        for (let t = 0; t < shape.steps; t++) activations[(b * shape.steps + t) * shape.channels + c] = seq[t]!;
      }
    }
    checkAll(activations, shape, 'synthetic');
  });

  it("agrees on the shipped PCNN's real front-end activations for the parity inputs", async () => {
    const model = await loadModel({ dir: shippedModelDir, architecture: 'pcnn' });
    try {
      const parity = JSON.parse(readFileSync(join(model.dir, 'parity.json'), 'utf8')) as { cases: { frames: number; bands: number; input: number[] }[] };
      // Segments are independent, so every case's segments become one batch of one-segment
      // windows: one PyTorch and one GUDHI process for all of them.
      const segments: Float32Array[] = [];
      let channels = 0;
      for (const c of parity.cases) {
        const x = standardise({ frames: c.frames, bands: c.bands, data: Float32Array.from(c.input) }, model.standardisation.mean, model.standardisation.std);
        const act = model.network.frontEndActivations(x, 1, c.frames);
        channels = act.channels;
        const size = PCNN_CONFIG.segment.steps * channels;
        for (let s = 0; s < act.steps / PCNN_CONFIG.segment.steps; s++) segments.push(act.data.subarray(s * size, (s + 1) * size));
      }
      const all = new Float32Array(segments.reduce((n, s) => n + s.length, 0));
      segments.reduce((at, s) => (all.set(s, at), at + s.length), 0);
      assert.ok(all.some((v) => v === 0), 'ReLU activations hold exact zeros (ties the tie rule must settle)');
      assert.ok(all.some((v) => v > 0));
      checkAll(all, { batch: segments.length, steps: PCNN_CONFIG.segment.steps, channels }, 'parity inputs');
    } finally {
      model.dispose();
    }
  });
});
