// Seeded test sequences for persistence: ties, plateaus, constant and monotone runs, random
// floats, and activation-like sequences (ReLU of smoothed noise: many exact zeros).
import { seededRandom, type Random } from './random.ts';

export { seededRandom, type Random };

const int = (rnd: Random, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

function gaussian(rnd: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** Values from a small integer set, scaled: many ties and plateaus. */
export function smallIntegers(rnd: Random, n: number): number[] {
  const levels = int(rnd, 1, 5);
  const scale = [1, 0.5, 1.25, 2][int(rnd, 0, 3)];
  return Array.from({ length: n }, () => int(rnd, 0, levels - 1) * scale);
}

/** Piecewise constant: runs of random length at random levels. */
export function constantRuns(rnd: Random, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const v = int(rnd, 0, 12) * 0.5;
    for (let r = int(rnd, 1, 8); r > 0 && out.length < n; r--) out.push(v);
  }
  return out;
}

/** Rising and falling runs, sometimes with flat steps; occasionally one monotone run overall. */
export function monotoneRuns(rnd: Random, n: number): number[] {
  const out: number[] = [];
  let v = rnd() * 3;
  let dir = rnd() < 0.5 ? 1 : -1;
  const single = rnd() < 0.2;
  while (out.length < n) {
    for (let r = single ? n : int(rnd, 2, 12); r > 0 && out.length < n; r--) {
      out.push(v);
      v += dir * (rnd() < 0.15 ? 0 : int(rnd, 1, 4) * 0.25);
    }
    dir = -dir;
  }
  return out;
}

/** Uniform floats over a range that sometimes leaves [0, 5] (tents cut by the sampling range). */
export function randomFloats(rnd: Random, n: number): number[] {
  const [lo, hi] = [[0, 5], [0, 1], [-3, 8], [2, 6]][int(rnd, 0, 3)];
  return Array.from({ length: n }, () => lo + (hi - lo) * rnd());
}

/** ReLU of moving-averaged gaussian noise minus an offset, rounded to float32 like real activations. */
export function activationLike(rnd: Random, n: number): number[] {
  const width = int(rnd, 1, 6);
  const noise = Array.from({ length: n + width }, () => gaussian(rnd));
  const offset = rnd() * 0.8 - 0.2;
  const gain = 0.5 + rnd() * 3;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let w = 0; w < width; w++) s += noise[i + w];
    out.push(Math.fround(Math.max(0, gain * (s / Math.sqrt(width) - offset))));
  }
  return out;
}

export const families = { smallIntegers, constantRuns, monotoneRuns, randomFloats, activationLike } as const;
export type Family = keyof typeof families;

/** `count` sequences cycling through the families, lengths 1..maxLength (a fifth of them 32 long). */
export function mixedSequences(rnd: Random, count: number, maxLength = 64): number[][] {
  const names = Object.keys(families) as Family[];
  return Array.from({ length: count }, (_, i) => {
    const n = rnd() < 0.2 ? 32 : int(rnd, 1, maxLength);
    return families[names[i % names.length]](rnd, n);
  });
}
