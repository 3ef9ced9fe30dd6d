// Pure helpers that turn the analysis result into what the inspector draws: bytes from base64,
// RGBA pixels through a colour map, where each segment lies in time, where each analysed window's
// block of the spectrogram sits and its time axis, mel-band frequencies for the axis. No DOM
// here, so tests run in Node.
import { INSPECTOR_GEOMETRY } from '../../../src-main/api/schemas/inspector.ts';
import type { AnalysisResult, AxisTick, BlockPlacement, BytePicture, SegmentSpan, SpectrogramData } from './types.ts';

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
  if (d.logMel.times.length !== columns) throw new RangeError(`log-mel picture: ${d.logMel.times.length} column times for ${columns} columns`);
  for (const w of d.logMel.windows) {
    if (w.columns < 1 || w.firstColumn + w.columns > columns) throw new RangeError(`log-mel picture: the window at ${w.offset} s claims columns ${w.firstColumn} … ${w.firstColumn + w.columns - 1} of ${columns}`);
  }
  return { ...pic, columns, bands, times: d.logMel.times, windows: d.logMel.windows };
}

/** Pixels between two blocks of the spectrogram: the track between two windows was not analysed. */
export const BLOCK_GAP = 12;

/**
 * Where each window's block of the spectrogram sits in a plot `width` px wide from `left`: side by
 * side in time order, `gap` px apart, all at one time scale (each as wide as the seconds its
 * columns cover), so a second is as wide in every block.
 */
export function placeBlocks(data: Pick<SpectrogramData, 'times' | 'windows'>, left: number, width: number, gap = BLOCK_GAP): BlockPlacement[] {
  const step = (w: { firstColumn: number; columns: number }) => (data.times[w.firstColumn + w.columns - 1]! - data.times[w.firstColumn]!) / (w.columns - 1);
  const wide = data.windows.find((w) => w.columns > 1);
  const fallbackStep = wide ? step(wide) : INSPECTOR_GEOMETRY.frameSec;
  const spans = data.windows.map((w) => {
    const half = (w.columns > 1 ? step(w) : fallbackStep) / 2;
    return { firstColumn: w.firstColumn, columns: w.columns, start: data.times[w.firstColumn]! - half, end: data.times[w.firstColumn + w.columns - 1]! + half };
  });
  const seconds = spans.reduce((a, b) => a + (b.end - b.start), 0);
  const scale = Math.max(0, width - gap * Math.max(0, spans.length - 1)) / Math.max(1e-9, seconds);
  let x = left;
  return spans.map((b) => {
    const placed = { ...b, left: x, width: (b.end - b.start) * scale };
    x += placed.width + gap;
    return placed;
  });
}

/** The block that holds `time`: the last one starting at or before it (the first for earlier times). */
function blockOf(blocks: readonly BlockPlacement[], time: number): BlockPlacement | undefined {
  let hit = blocks[0];
  for (const b of blocks) if (b.start <= time) hit = b;
  return hit;
}

/** x of `time` in `block`, clamped to the block's edges. */
function xIn(b: BlockPlacement, time: number): number {
  return b.left + (Math.min(b.end, Math.max(b.start, time)) - b.start) * (b.width / Math.max(1e-9, b.end - b.start));
}

/** x of a time in the track (clamped into the block that holds it). */
export function xOfTime(blocks: readonly BlockPlacement[], time: number): number {
  const b = blockOf(blocks, time);
  return b ? xIn(b, time) : 0;
}

/**
 * The x range of a segment: both ends in the block of its middle, so a segment reaching its
 * window's last sample stays in its window's block even when the next window starts right there.
 */
export function spanX(blocks: readonly BlockPlacement[], span: Pick<SegmentSpan, 'start' | 'end'>): [number, number] {
  const b = blockOf(blocks, (span.start + span.end) / 2);
  return b ? [xIn(b, span.start), xIn(b, span.end)] : [0, 0];
}

/** The time in the track under x, or null between blocks and outside them. */
export function timeAtX(blocks: readonly BlockPlacement[], x: number): number | null {
  for (const b of blocks) if (x >= b.left && x < b.left + b.width) return b.start + ((x - b.left) / Math.max(1e-9, b.width)) * (b.end - b.start);
  return null;
}

/**
 * The time axis under the blocks: each block's start time at its left edge, and inside a block
 * round times a readable step apart (at least `spacing` px), none crowding a block's start label.
 */
export function axisTicks(blocks: readonly BlockPlacement[], spacing = 70): AxisTick[] {
  const ticks: AxisTick[] = [];
  const pxPerSec = blocks.reduce((a, b) => Math.max(a, b.width / Math.max(1e-9, b.end - b.start)), 0);
  const step = tickStep(spacing / Math.max(1e-9, pxPerSec), 1);
  for (const b of blocks) {
    ticks.push({ x: b.left, label: clock(b.start), blockStart: true });
    for (let t = Math.ceil(b.start / step) * step; t <= b.end; t += step) {
      const x = xIn(b, t);
      if (x - b.left >= spacing && b.left + b.width - x >= spacing / 3) ticks.push({ x, label: clock(t), blockStart: false });
    }
  }
  return ticks;
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
