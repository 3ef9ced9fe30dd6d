// Pure helpers that turn the analysis result into what the inspector draws: bytes from base64,
// RGBA pixels through a colour map, where each segment lies in time, mel-band frequencies for the
// axis. No DOM here, so tests run in Node.
import { INSPECTOR_GEOMETRY } from '../../../src-main/api/schemas/inspector.ts';
import type { AnalysisResult, BytePicture, SegmentSpan, SpectrogramData } from './types.ts';

export function bytesFromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function checkedPicture(p: { shape: number[]; min: number; max: number; base64: string }, what: string): BytePicture {
  const bytes = bytesFromBase64(p.base64);
  const size = p.shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== size) throw new RangeError(`${what}: ${bytes.length} bytes for shape [${p.shape.join(', ')}] (${size})`);
  return { shape: p.shape, min: p.min, max: p.max, bytes };
}

export function spectrogramOf(result: AnalysisResult): SpectrogramData | null {
  const d = result.display;
  if (!d) return null;
  const pic = checkedPicture(d.logMel, 'log-mel picture');
  const [columns = 0, bands = 0] = pic.shape;
  return { ...pic, columns, bands, times: d.logMel.times };
}

export function landscapesOf(result: AnalysisResult): BytePicture | null {
  const d = result.display;
  if (!d) return null;
  const pic = checkedPicture(d.landscapes, 'landscape picture');
  if (pic.shape.length !== 5) throw new RangeError(`landscape picture: shape [${pic.shape.join(', ')}] is not [windows, segments, channels, k, points]`);
  return pic;
}

/** Every segment of every analysed window, in time order, with the seconds its frames cover. */
export function segmentSpans(result: AnalysisResult, landscapes: BytePicture): SegmentSpan[] {
  const [windows = 0, segments = 0] = landscapes.shape;
  const g = INSPECTOR_GEOMETRY;
  const out: SegmentSpan[] = [];
  for (let w = 0; w < windows; w++) {
    const win = result.windows[w];
    if (!win) continue;
    for (let s = 0; s < segments; s++) {
      const first = s * g.stride * g.pool;
      const last = (s * g.stride + g.steps) * g.pool + g.kernelFrames - 2;
      out.push({ index: 0, window: w, segment: s, start: win.offset + first * g.frameSec, end: Math.min(win.offset + win.duration, win.offset + (last + 1) * g.frameSec) });
    }
  }
  out.sort((a, b) => a.start - b.start || a.window - b.window || a.segment - b.segment);
  out.forEach((s, i) => (s.index = i));
  return out;
}

/** The segment whose span holds `time` (the latest-starting one where windows overlap), or null. */
export function segmentAt(spans: readonly SegmentSpan[], time: number): SegmentSpan | null {
  let hit: SegmentSpan | null = null;
  for (const s of spans) if (time >= s.start && time < s.end) hit = s;
  return hit;
}

/** Byte of landscape [window, segment, channel, j, point]. */
export function landscapeByte(pic: BytePicture, w: number, s: number, c: number, j: number, t: number): number {
  const [, S = 0, C = 0, K = 0, P = 0] = pic.shape;
  return pic.bytes[(((w * S + s) * C + c) * K + j) * P + t]!;
}

/** Value of a byte of a quantised picture. */
export function valueOf(pic: Pick<BytePicture, 'min' | 'max'>, byte: number): number {
  return pic.min + (byte / 255) * (pic.max - pic.min);
}

/**
 * RGBA pixels (row-major, top row first) of a width × height grid whose cell (x, y) has the byte
 * `at(x, y)`, through a 256-entry RGB lookup table.
 */
export function rgbaOf(width: number, height: number, at: (x: number, y: number) => number, lut: Uint8ClampedArray): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(width * height * 4));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = at(x, y);
      const o = (y * width + x) * 4;
      out[o] = lut[v * 3]!;
      out[o + 1] = lut[v * 3 + 1]!;
      out[o + 2] = lut[v * 3 + 2]!;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** Slaney mel scale (librosa htk=False): linear below 1 kHz, logarithmic above. */
function hzToMel(hz: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logstep = Math.log(6.4) / 27;
  return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logstep : hz / fSp;
}

function melToHz(mel: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logstep = Math.log(6.4) / 27;
  return mel >= minLogMel ? minLogHz * Math.exp(logstep * (mel - minLogMel)) : fSp * mel;
}

/** Centre frequency (Hz) of each mel band of the analysis spec. */
export function bandCentres(nMels: number = INSPECTOR_GEOMETRY.nMels, fMin: number = INSPECTOR_GEOMETRY.fMin, fMax: number = INSPECTOR_GEOMETRY.fMax): number[] {
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  return Array.from({ length: nMels }, (_, i) => melToHz(lo + ((i + 1) * (hi - lo)) / (nMels + 1)));
}

/** "m:ss" for axis labels. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A tick step (seconds) giving about `target` ticks over `span` seconds. */
export function tickStep(span: number, target = 6): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
  return steps.find((s) => span / s <= target) ?? 3600;
}
