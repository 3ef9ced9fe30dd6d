// Runs the numpy reference (test/helpers/logmel_ref.py, librosa's formulas; the spec's chroma) on the same samples
// the TypeScript sees, passed through a temporary little-endian float32 file.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./logmel_ref.py', import.meta.url));

function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** numpy's log-mel of `samples` (frames × 128, row-major). `dir` holds the temporary files. */
export function numpyLogMel(samples: Float32Array, dir: string): Float32Array {
  const input = join(dir, `in-${process.pid}-${Math.random().toString(36).slice(2)}.f32`);
  const output = `${input}.out`;
  writeFileSync(input, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  execFileSync(PYTHON, [script, input, output], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readF32(output);
}

/** numpy's log-chroma of `samples` (frames × 12, row-major; spec version 2). */
export function numpyChroma(samples: Float32Array, dir: string): Float32Array {
  const input = join(dir, `in-${process.pid}-${Math.random().toString(36).slice(2)}.f32`);
  const output = `${input}.out`;
  writeFileSync(input, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  execFileSync(PYTHON, [script, '--chroma', input, output], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readF32(output);
}

/** numpy's dense Slaney filterbank, 128 × 257 float64. */
export function numpyFilterbank(dir: string): Float64Array {
  const output = join(dir, 'filterbank.f64');
  execFileSync(PYTHON, [script, '--filterbank', output], { stdio: ['ignore', 'ignore', 'pipe'] });
  const b = readFileSync(output);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Largest |a[i] − b[i]| and where; lengths must match. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; at: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let max = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= max)) {
      max = d;
      at = i;
    }
  }
  return { max, at };
}
