// Band-limited resampling for the decoders that hand us audio at its native rate (the wasm path).
// A Kaiser-windowed sinc evaluated on a polyphase table: output sample j sits at input position
// start + j·inRate/outRate, and is the dot product of the input around it with the phase's taps.
// Cutoff and window are set so that everything above the lower Nyquist frequency is attenuated
// by ≥ 80 dB (what ffmpeg's soxr gives us), with the passband flat to ~0.91 of it.

/** Sinc zero crossings on each side of the kernel centre: sets the transition width (~5% of Nyquist). */
const ZERO_CROSSINGS = 64;
/** Kaiser β for ~90 dB sidelobes. */
const KAISER_BETA = 9;
/** −6 dB point of the filter as a fraction of the lower Nyquist frequency; the stopband starts near 1. */
const CUTOFF = 0.955;
/** Above this many phases the fractional position is rounded to one of MAX_PHASES (error < 1/8192 sample). */
const MAX_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series; converges fast for x ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 60; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export interface ResampleOptions {
  /** Input sample (an integer) where output sample 0 sits; default 0. Samples before it still feed the filter. */
  start?: number;
  /** Output samples wanted; default: every output sample whose position lies inside the input. */
  count?: number;
}

/** A resampler for one rate pair; reusable across signals. */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Output sample j sits at input position j·step / L (inRate:outRate reduced to step:L). */
  private readonly step: number;
  private readonly L: number;
  private readonly phases: number;
  /** Taps on each side: coefficients cover input offsets −half+1 … half around floor(position). */
  private readonly half: number;
  private readonly taps: number;
  private readonly table: Float32Array;

  constructor(inRate: number, outRate: number) {
    if (!(Number.isInteger(inRate) && inRate > 0 && Number.isInteger(outRate) && outRate > 0)) {
      throw new RangeError(`sample rates must be positive integers, got ${inRate} → ${outRate}`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.step = inRate / g; // output j is at input position j·step / L
    this.L = outRate / g;
    this.phases = Math.min(this.L, MAX_PHASES);
    // Cutoff in cycles per input sample; the kernel spans ZERO_CROSSINGS zeros of its sinc each side.
    const fc = (CUTOFF * Math.min(inRate, outRate)) / 2 / inRate;
    const halfWidth = ZERO_CROSSINGS / (2 * fc);
    this.half = Math.ceil(halfWidth);
    this.taps = 2 * this.half;
    this.table = new Float32Array(this.phases * this.taps);
    const i0Beta = besselI0(KAISER_BETA);
    for (let p = 0; p < this.phases; p++) {
      const frac = p / this.phases;
      let sum = 0;
      const row = p * this.taps;
      for (let i = 0; i < this.taps; i++) {
        const t = frac - (i - this.half + 1); // output position minus input sample position
        const r = t / halfWidth;
        let h = 0;
        if (Math.abs(r) < 1) {
          const x = 2 * fc * t;
          const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
          h = 2 * fc * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta);
        }
        this.table[row + i] = h;
        sum += h;
      }
      // Exact unit gain at DC for every phase (the truncated kernel is a hair off otherwise).
      for (let i = 0; i < this.taps; i++) this.table[row + i]! /= sum;
    }
  }

  /** Output samples whose positions lie in [start, input.length). */
  outputLength(inputLength: number, start = 0): number {
    return Math.max(0, Math.ceil(((inputLength - start) * this.L) / this.step));
  }

  process(input: Float32Array, opts: ResampleOptions = {}): Float32Array {
    const start = opts.start ?? 0;
    if (!Number.isInteger(start) || start < 0) throw new RangeError(`start must be a sample index, got ${start}`);
    const count = opts.count ?? this.outputLength(input.length, start);
    if (this.inRate === this.outRate) {
      const out = new Float32Array(count);
      out.set(input.subarray(start, start + count));
      return out;
    }
    const out = new Float32Array(count);
    const { step, L, phases, half, taps, table } = this;
    const n = input.length;
    for (let j = 0; j < count; j++) {
      // Integer arithmetic keeps the position exact over hours of audio (j·step < 2^53).
      const num = j * step;
      let base = start + Math.floor(num / L);
      let phase = num % L;
      if (phases !== L) {
        phase = Math.round((phase * phases) / L);
        if (phase === phases) {
          phase = 0;
          base += 1;
        }
      }
      const row = phase * taps;
      const first = base - half + 1;
      let acc = 0;
      if (first >= 0 && first + taps <= n) {
        for (let i = 0; i < taps; i++) acc += table[row + i]! * input[first + i]!;
      } else {
        const lo = Math.max(0, -first);
        const hi = Math.min(taps, n - first);
        for (let i = lo; i < hi; i++) acc += table[row + i]! * input[first + i]!;
      }
      out[j] = acc;
    }
    return out;
  }
}

const cache = new Map<string, Resampler>();

/** The Resampler of a rate pair, built once (building the table costs a few milliseconds). */
export function resamplerFor(inRate: number, outRate: number): Resampler {
  const key = `${inRate}:${outRate}`;
  let r = cache.get(key);
  if (!r) {
    r = new Resampler(inRate, outRate);
    cache.set(key, r);
  }
  return r;
}
