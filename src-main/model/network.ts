// The PCNN forward pass in tfjs, layer for layer as training/pcnn/model.py (EXPORT_FORMAT.md):
//   x [B, frames, mel bands + chroma bins] (standardised; model-files.ts inputBands)
//   → mel bands: conv1d over frames, the bands as input channels, ReLU,
//   max-pool along time (trailing frames that do not fill a pool are dropped)  → steps [B, T, C]
//   → the first S·L steps, cut into S segments of L steps (trailing steps dropped), then
//     conv branch: 1×1 conv (a matmul), ReLU, max over each segment's steps     → [B, S, channels]
//     landscape branch (PCNN only): the steps leave tfjs (dataSync) for the batched TS layer
//     features/landscape-batch.ts, whose layout and tie rule training/pcnn/landscape.py mirrors
//     rhythm branch (when config.rhythm.lags > 0): the unpooled front-end output leaves tfjs for
//     rhythm.ts, each segment's per-filter autocorrelation (training/pcnn/rhythm.py)
//     chroma branch (when config.chroma.profiles > 0): each segment's mean chroma, centred over
//     the bins (with config.chroma.context 'window': the mean of those over the window's
//     segments, the same for each), read in all 12 rotations (a gather), a dense layer per
//     rotation, the best rotation kept, ReLU (training/pcnn/chroma.py)
//   → concatenated (conv, landscape, rhythm, chroma), the head's dense layers with ReLU (dropout is the identity at inference)
//   → per-segment logits; the last head layer's output is the embedding.
// Every intermediate tensor lives inside one tf.tidy; the results leave as typed arrays.
import type * as tfjs from '@tensorflow/tfjs';
import { landscapeBatch } from '../features/landscape-batch.ts';
import { ModelInvalidError } from './errors.ts';
import { inputBands, segmentsFor, type Architecture, type LayerConfig } from './model-files.ts';
import { segmentAutocorrelation } from './rhythm.ts';
import type { Weights } from './weights.ts';

/** The tfjs namespace (imported lazily by load.ts, handed to the network). */
export type Tf = typeof tfjs;

export interface ForwardTiming {
  /** Front end: conv, ReLU, pool (and, for the PCNN, reading its output back for the landscapes). */
  convMs: number;
  /** The landscape layer in JS (0 for the FCN). */
  landscapeMs: number;
  /** Conv branch, rhythm branch, head and reading the outputs back. */
  restMs: number;
}

/** Outputs of one batch of equally long windows; arrays are row-major over [batch, segments, …]. */
export interface ForwardResult {
  readonly batch: number;
  readonly segments: number;
  /** [B, S, tags] */
  readonly logits: Float32Array;
  /** [B, S, units of the last head layer] */
  readonly embedding: Float32Array;
  /** [B, S, conv branch channels] */
  readonly convBranch: Float32Array;
  /** [B, S, filters · k · points], channel-major (landscape-batch.ts); null for the FCN. */
  readonly landscapeBranch: Float32Array | null;
  /** [B, S, filters · lags], channel-major (rhythm.ts); null without a rhythm branch. */
  readonly rhythmBranch: Float32Array | null;
  /** [B, S, chroma profiles]; null without a chroma branch. */
  readonly chromaBranch: Float32Array | null;
  readonly timing: ForwardTiming;
}

interface Dense {
  kernel: tfjs.Tensor2D;
  bias: tfjs.Tensor1D;
}

export class PcnnNetwork {
  readonly config: LayerConfig;
  readonly architecture: Architecture;
  readonly tags: number;
  readonly embeddingSize: number;
  private readonly tf: Tf;
  private readonly front: { kernel: tfjs.Tensor3D; bias: tfjs.Tensor1D };
  private readonly branch: Dense;
  /** The chroma branch's profiles ([bins, profiles]) and the gather indices of its rotations. */
  private readonly chroma: (Dense & { rotations: tfjs.Tensor1D; bins: number }) | null;
  private readonly head: Dense[];
  private readonly out: Dense;
  private disposed = false;

  /** `prefix`: where this network's weights are named in `weights` (one member of several: `m<i>/`). */
  constructor(tf: Tf, config: LayerConfig, architecture: Architecture, tags: number, weights: Weights, prefix = '') {
    this.tf = tf;
    this.config = config;
    this.architecture = architecture;
    this.tags = tags;
    const get = (name: string) => {
      const w = weights.get(prefix + name);
      if (!w) throw new ModelInvalidError('model.json', `weight "${prefix + name}" is missing`, { where: prefix + name });
      return w;
    };
    const dense = (prefix: string): Dense => {
      const k = get(`${prefix}/kernel`);
      const rows = k.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      return { kernel: tf.tensor2d(k.values, [rows, k.shape.at(-1)!]), bias: tf.tensor1d(get(`${prefix}/bias`).values) };
    };
    const fk = get('front/kernel');
    this.front = { kernel: tf.tensor3d(fk.values, fk.shape as [number, number, number]), bias: tf.tensor1d(get('front/bias').values) };
    this.branch = dense('branch'); // [1, C, channels] → [C, channels]
    const bins = inputBands(config) - config.frontEnd.bands;
    // Rotation r reads bin (c + r) mod bins at c (chroma.py `rotations`), flattened row by row.
    const rotations = Int32Array.from({ length: bins * bins }, (_, i) => ((i % bins) + Math.floor(i / bins)) % bins);
    this.chroma = config.chroma.profiles > 0 ? { ...dense('chroma'), rotations: tf.tensor1d(rotations, 'int32'), bins } : null;
    this.head = config.head.units.map((_, i) => dense(`head/${i}`));
    this.out = dense('out');
    this.embeddingSize = config.head.units.at(-1)!;
  }

  /**
   * conv1d + bias, ReLU (`frames` [B, T', filters], unpooled), then max-pool along time, cut to
   * whole segments (`used` [B, S·L, filters]). Call inside a tidy.
   */
  private frontEnd(x: tfjs.Tensor3D, batch: number, frames: number): { frames: tfjs.Tensor3D; used: tfjs.Tensor3D } {
    const tf = this.tf;
    const cfg = this.config;
    const C = cfg.frontEnd.filters;
    const pool = cfg.frontEnd.poolTime;
    const { steps: T, segments: S } = segmentsFor(cfg, frames);
    const mel = x.slice([0, 0, 0], [batch, frames, cfg.frontEnd.bands]);
    const conv = tf.relu(tf.add(tf.conv1d(mel, this.front.kernel, 1, 'valid'), this.front.bias)) as tfjs.Tensor3D;
    const pooled = conv.slice([0, 0, 0], [batch, T * pool, C]).reshape([batch, T, pool, C]).max(2) as tfjs.Tensor3D;
    const used = S * cfg.segment.steps;
    return { frames: conv, used: used === T ? pooled : (pooled.slice([0, 0, 0], [batch, used, C]) as tfjs.Tensor3D) };
  }

  private checkInput(input: Float32Array, batch: number, frames: number): void {
    if (this.disposed) throw new Error('PcnnNetwork used after dispose()');
    const bands = inputBands(this.config);
    if (input.length !== batch * frames * bands) throw new Error(`forward: ${input.length} values do not fill [${batch}, ${frames}, ${bands}]`);
    if (segmentsFor(this.config, frames).segments < 1) throw new Error(`forward: ${frames} frames hold no complete segment`);
  }

  /**
   * The front end's output as the landscape layer receives it: [batch, S·L steps, filters],
   * channels fastest (for tests and pictures; forward() computes the same internally).
   */
  frontEndActivations(input: Float32Array, batch: number, frames: number): { steps: number; channels: number; data: Float32Array } {
    this.checkInput(input, batch, frames);
    const bands = inputBands(this.config);
    const data = this.tf.tidy(() => this.frontEnd(this.tf.tensor3d(input, [batch, frames, bands]), batch, frames).used.dataSync() as Float32Array);
    return { steps: segmentsFor(this.config, frames).segments * this.config.segment.steps, channels: this.config.frontEnd.filters, data };
  }

  /**
   * Runs `batch` windows of `frames` standardised frames each (input [batch, frames, bands],
   * row-major). The caller guarantees frames ≥ one segment's worth (model-files.ts minFrames).
   */
  forward(input: Float32Array, batch: number, frames: number): ForwardResult {
    this.checkInput(input, batch, frames);
    const tf = this.tf;
    const cfg = this.config;
    const bands = inputBands(cfg);
    const C = cfg.frontEnd.filters;
    const L = cfg.segment.steps;
    const S = segmentsFor(cfg, frames).segments;
    const channels = cfg.convBranch.channels;
    let result: Omit<ForwardResult, 'timing'> | undefined;
    const timing: ForwardTiming = { convMs: 0, landscapeMs: 0, restMs: 0 };

    tf.tidy(() => {
      const t0 = performance.now();
      const x = tf.tensor3d(input, [batch, frames, bands]);
      const front = this.frontEnd(x, batch, frames);
      const used = front.used;

      let land: Float32Array | null = null;
      let landTensor: tfjs.Tensor3D | null = null;
      // wasm, cpu and tfjs-node run ops eagerly, so these clocks time the work itself.
      const activations = this.architecture === 'pcnn' ? (used.dataSync() as Float32Array) : null;
      const t1 = performance.now();
      timing.convMs = t1 - t0;
      if (activations) {
        const lb = landscapeBatch(activations, { batch, steps: S * L, channels: C }, { segment: cfg.segment, landscape: cfg.landscape, routing: false });
        land = lb.landscapes;
        landTensor = tf.tensor3d(land, [batch, S, lb.featureSize]);
      }
      const t2 = performance.now();
      timing.landscapeMs = t2 - t1;

      const wide = tf.fused.matMul({ a: used.reshape([batch * S * L, C]), b: this.branch.kernel, bias: this.branch.bias, activation: 'relu' });
      const branch = wide.reshape([batch, S, L, channels]).max(2) as tfjs.Tensor3D;
      let rhythm: Float32Array | null = null;
      const parts: tfjs.Tensor3D[] = landTensor ? [branch, landTensor] : [branch];
      if (cfg.rhythm.lags > 0) {
        const segmentFrames = L * cfg.frontEnd.poolTime;
        const [, frontFrames] = front.frames.shape;
        rhythm = segmentAutocorrelation(front.frames.dataSync() as Float32Array, { batch, frames: frontFrames, channels: C }, { segments: S, segmentFrames, lags: cfg.rhythm.lags });
        parts.push(tf.tensor3d(rhythm, [batch, S, C * cfg.rhythm.lags]));
      }
      let chromaOut: tfjs.Tensor3D | null = null;
      if (this.chroma) {
        const { bins, rotations, kernel, bias } = this.chroma;
        const segmentFrames = L * cfg.frontEnd.poolTime;
        const mean = x.slice([0, 0, cfg.frontEnd.bands], [batch, S * segmentFrames, bins]).reshape([batch, S, segmentFrames, bins]).mean(2);
        const perSegment = mean.sub(mean.mean(2, true));
        const centred = cfg.chroma.context === 'window' ? perSegment.mean(1, true).tile([1, S, 1]) : perSegment;
        const rolled = tf.gather(centred, rotations, 2).reshape([batch * S * bins, bins]);
        const profiles = kernel.shape[1];
        chromaOut = tf.fused.matMul({ a: rolled, b: kernel, bias }).reshape([batch, S, bins, profiles]).max(2).relu() as tfjs.Tensor3D;
        parts.push(chromaOut);
      }
      let z: tfjs.Tensor = (parts.length > 1 ? tf.concat(parts, 2) : branch).reshape([batch * S, -1]);
      for (const layer of this.head) z = tf.fused.matMul({ a: z, b: layer.kernel, bias: layer.bias, activation: 'relu' });
      const logits = tf.fused.matMul({ a: z, b: this.out.kernel, bias: this.out.bias });
      result = {
        batch,
        segments: S,
        logits: logits.dataSync() as Float32Array,
        embedding: z.dataSync() as Float32Array,
        convBranch: branch.dataSync() as Float32Array,
        landscapeBranch: land,
        rhythmBranch: rhythm,
        chromaBranch: chromaOut ? (chromaOut.dataSync() as Float32Array) : null,
      };
      timing.restMs = performance.now() - t2;
    });
    return { ...result!, timing };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const all = [this.front, this.branch, ...(this.chroma ? [this.chroma] : []), ...this.head, this.out];
    this.chroma?.rotations.dispose();
    for (const { kernel, bias } of all) {
      kernel.dispose();
      bias.dispose();
    }
  }
}
