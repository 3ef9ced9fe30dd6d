// The weights of an exported model: model.json's tfjs-style weightsManifest says, per group of
// files (concatenated in order), which named arrays they hold, with which shape and storage dtype
// (float32, or float16 or uint8 when the exporter found it free of cost). Read here by hand rather than by
// tf.io so that a truncated file, a wrong shape or a NaN names the file and the weight.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_SPEC } from '../features/spec.ts';
import { chromaSize, landscapeSize, rhythmSize } from './config.ts';
import { ModelInvalidError } from './errors.ts';
import type { Architecture, LayerConfig, WeightEntry, WeightGroup } from './model-files.ts';

export type WeightShapes = ReadonlyMap<string, readonly number[]>;
export type Weights = Map<string, { shape: number[]; values: Float32Array }>;

/**
 * The weights the network of training/pcnn/model.py exports (training/export.py `tfjs_weights`):
 * conv kernels [span, in, out], dense kernels [in, out], biases [out]; each member's under its
 * prefix (memberPrefix) when several ship together.
 */
export function expectedShapes(config: LayerConfig, architecture: Architecture, tags: number, members = 1): WeightShapes {
  const one = memberShapes(config, architecture, tags);
  if (members === 1) return one;
  const all = new Map<string, number[]>();
  for (let i = 0; i < members; i++) for (const [name, shape] of one) all.set(`${memberPrefix(i, members)}${name}`, shape);
  return all;
}

/** Where member `i` of `members` finds its weights: `m<i>/` when several networks ship together. */
export function memberPrefix(i: number, members: number): string {
  return members > 1 ? `m${i}/` : '';
}

function memberShapes(config: LayerConfig, architecture: Architecture, tags: number): Map<string, number[]> {
  const { filters, frames, bands } = config.frontEnd;
  const channels = config.convBranch.channels;
  const shapes = new Map<string, number[]>([
    ['front/kernel', [frames, bands, filters]],
    ['front/bias', [filters]],
    ['branch/kernel', [1, filters, channels]],
    ['branch/bias', [channels]],
  ]);
  if (config.chroma.profiles > 0) {
    shapes.set('chroma/kernel', [FEATURE_SPEC.chroma.bins, config.chroma.profiles]);
    shapes.set('chroma/bias', [config.chroma.profiles]);
  }
  let width = channels + (architecture === 'pcnn' ? landscapeSize(config) : 0) + rhythmSize(config) + chromaSize(config);
  config.head.units.forEach((units, i) => {
    shapes.set(`head/${i}/kernel`, [width, units]);
    shapes.set(`head/${i}/bias`, [units]);
    width = units;
  });
  shapes.set('out/kernel', [width, tags]);
  shapes.set('out/bias', [tags]);
  return shapes;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const bytesPer = (e: WeightEntry) => (e.quantization?.dtype === 'uint8' ? 1 : e.quantization?.dtype === 'float16' ? 2 : 4);
const fmtShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** IEEE 754 half → float, exact (every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function decode(bytes: Buffer, offset: number, entry: WeightEntry): Float32Array {
  const n = size(entry.shape);
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * bytesPer(entry));
  const q = entry.quantization;
  if (q?.dtype === 'float16') {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  } else if (q?.dtype === 'uint8') {
    // In float64, rounded once to float32: the exporter's arithmetic (training/export.py quantise).
    for (let i = 0; i < n; i++) out[i] = view.getUint8(i) * q.scale + q.min;
  } else {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  }
  return out;
}

function readGroup(dir: string, group: WeightGroup): { bytes: Buffer; label: string } {
  const parts = group.paths.map((name) => {
    const path = join(dir, name);
    try {
      return readFileSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ModelInvalidError(path, code === 'ENOENT' ? 'the weights file is missing' : `cannot be read (${code ?? (err as Error).message})`, { cause: err });
    }
  });
  return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), label: group.paths.map((p) => join(dir, p)).join(' + ') };
}

/** Reads every weight of `manifest` from `dir`, checking names, shapes, byte counts and finiteness against `expected`. */
export function readWeights(dir: string, manifest: readonly WeightGroup[], expected: WeightShapes): Weights {
  const modelJson = join(dir, 'model.json');
  const weights: Weights = new Map();
  for (const group of manifest) {
    for (const entry of group.weights) {
      const want = expected.get(entry.name);
      if (!want) throw new ModelInvalidError(modelJson, `weight "${entry.name}" is not part of this network (expected: ${[...expected.keys()].join(', ')})`, { where: entry.name });
      if (weights.has(entry.name)) throw new ModelInvalidError(modelJson, `weight "${entry.name}" is listed twice`, { where: entry.name });
      if (entry.shape.length !== want.length || entry.shape.some((d, i) => d !== want[i])) {
        throw new ModelInvalidError(modelJson, `weight "${entry.name}" has shape ${fmtShape(entry.shape)}, the network needs ${fmtShape(want)}`, { where: entry.name });
      }
      weights.set(entry.name, { shape: [...entry.shape], values: new Float32Array(0) });
    }
  }
  const missing = [...expected.keys()].filter((name) => !weights.has(name));
  if (missing.length > 0) throw new ModelInvalidError(modelJson, `the weights manifest lacks ${missing.map((m) => `"${m}"`).join(', ')}`, { where: 'weightsManifest' });

  for (const group of manifest) {
    const { bytes, label } = readGroup(dir, group);
    const needed = group.weights.reduce((sum, e) => sum + size(e.shape) * bytesPer(e), 0);
    if (bytes.length !== needed) {
      const problem = bytes.length < needed ? `is truncated: it holds ${bytes.length} bytes, the manifest needs ${needed}` : `holds ${bytes.length} bytes, ${bytes.length - needed} more than the manifest describes (${needed})`;
      throw new ModelInvalidError(label, problem);
    }
    let offset = 0;
    for (const entry of group.weights) {
      const values = decode(bytes, offset, entry);
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new ModelInvalidError(label, `weight "${entry.name}" holds a non-finite value (${values[bad]}) at index ${bad}`, { where: entry.name });
      weights.get(entry.name)!.values = values;
      offset += size(entry.shape) * bytesPer(entry);
    }
  }
  return weights;
}
