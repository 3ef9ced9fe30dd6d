// The inspector's pure picture helpers: bytes, colours, segment times, mel-band frequencies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { INSPECTOR_GEOMETRY } from '../../src-main/api/schemas/inspector.ts';
import {
  axisTicks,
  bandCentres,
  bytesFromBase64,
  clock,
  landscapeByte,
  landscapesOf,
  placeBlocks,
  rgbaOf,
  segmentAt,
  segmentSpans,
  spanX,
  spectrogramOf,
  tickStep,
  timeAtX,
  xOfTime,
} from '../../src-renderer/features/inspector/pictures.ts';
import { colormap, colourAt } from '../../src-renderer/ui/colormap.ts';

type Result = ResponseOf<'analysis.result'>;

function result(windows: { offset: number; duration: number }[], shape: number[], bytes: Uint8Array): Result {
  return {
    trackId: 1,
    path: '/m/a.flac',
    modelVersion: 'm',
    specVersion: 's',
    backend: 'cpu',
    durationSec: 30,
    analysedAt: 0,
    tags: [],
    windows: windows.map((w) => ({ ...w, probabilities: [] })),
    display: {
      logMel: {
        shape: [2, 3],
        min: 0,
        max: 1,
        base64: Buffer.from([0, 1, 2, 3, 4, 5]).toString('base64'),
        times: [0.016, 0.048],
        windows: [{ offset: 0, duration: 5, firstColumn: 0, columns: 2 }],
      },
      landscapes: { shape, min: 0, max: 2, base64: Buffer.from(bytes).toString('base64') },
    },
  };
}

describe('inspector pictures', () => {
  it('decodes base64 bytes', () => {
    assert.deepEqual([...bytesFromBase64(Buffer.from([0, 127, 255]).toString('base64'))], [0, 127, 255]);
  });

  it('refuses a picture whose bytes do not fill its shape', () => {
    const r = result([{ offset: 0, duration: 5 }], [1, 1, 2, 1, 2], new Uint8Array(3));
    assert.throws(() => landscapesOf(r), /3 bytes for shape \[1, 1, 2, 1, 2\]/);
  });

  it('reads the log-mel picture as columns × bands', () => {
    const s = spectrogramOf(result([{ offset: 0, duration: 5 }], [1, 1, 1, 1, 1], new Uint8Array(1)))!;
    assert.equal(s.columns, 2);
    assert.equal(s.bands, 3);
    assert.deepEqual(s.times, [0.016, 0.048]);
    assert.deepEqual(s.windows, [{ offset: 0, duration: 5, firstColumn: 0, columns: 2 }]);
  });

  it('refuses a log-mel picture whose window blocks or times do not fit its columns', () => {
    const r = result([{ offset: 0, duration: 5 }], [1, 1, 1, 1, 1], new Uint8Array(1));
    const withLogMel = (logMel: Partial<NonNullable<Result['display']>['logMel']>): Result => ({ ...r, display: { ...r.display!, logMel: { ...r.display!.logMel, ...logMel } } });
    assert.throws(() => spectrogramOf(withLogMel({ windows: [{ offset: 0, duration: 5, firstColumn: 1, columns: 2 }] })), /claims columns 1 … 2 of 2/);
    assert.throws(() => spectrogramOf(withLogMel({ times: [0.016] })), /1 column times for 2 columns/);
  });

  it('indexes landscapes as [window, segment, channel, k, point]', () => {
    const shape = [2, 1, 2, 2, 3];
    const bytes = Uint8Array.from({ length: 24 }, (_, i) => i);
    const pic = landscapesOf(result([], shape, bytes))!;
    assert.equal(landscapeByte(pic, 1, 0, 1, 0, 2), ((1 * 1 + 0) * 2 + 1) * 6 + 0 * 3 + 2);
  });

  it('places each segment in time as the network cuts the window', () => {
    const g = INSPECTOR_GEOMETRY;
    const r = result(
      [
        { offset: 10, duration: 30 },
        { offset: 1, duration: 30 },
      ],
      [2, 2, 1, 1, 1],
      new Uint8Array(4),
    );
    const spans = segmentSpans(r, landscapesOf(r)!);
    assert.deepEqual(
      spans.map((s) => [s.window, s.segment, s.index]),
      [
        [1, 0, 0],
        [1, 1, 1],
        [0, 0, 2],
        [0, 1, 3],
      ],
    );
    const segSec = g.stride * g.pool * g.frameSec;
    assert.ok(Math.abs(spans[1]!.start - (1 + segSec)) < 1e-9);
    assert.ok(Math.abs(spans[0]!.end - (1 + ((g.steps * g.pool + g.kernelFrames - 1) * g.frameSec))) < 1e-9);
    assert.equal(segmentAt(spans, 1 + segSec + 0.01)?.index, 1);
    assert.equal(segmentAt(spans, 0.5), null);
  });

  // Three 4.32-s windows of 135 one-frame columns, at 20 s, 100 s and 180 s, as predictTrack draws them.
  const frameSec = INSPECTOR_GEOMETRY.frameSec;
  const threeWindows = {
    times: [20, 100, 180].flatMap((offset) => Array.from({ length: 135 }, (_, t) => offset + t * frameSec)),
    windows: [20, 100, 180].map((offset, i) => ({ offset, duration: 4.32, firstColumn: i * 135, columns: 135 })),
  };

  it('lays the windows out as blocks side by side at one time scale, a gap apart', () => {
    const blocks = placeBlocks(threeWindows, 44, 624, 12);
    assert.equal(blocks.length, 3);
    const secondsWide = 135 * frameSec;
    for (const [i, b] of blocks.entries()) {
      assert.ok(Math.abs(b.start - ([20, 100, 180][i]! - frameSec / 2)) < 1e-9, `block ${i} starts half a column before its first column's centre`);
      assert.ok(Math.abs(b.end - b.start - secondsWide) < 1e-9);
      assert.ok(Math.abs(b.width - 200) < 1e-9, 'the 600 px left by two gaps, in thirds');
    }
    assert.deepEqual(
      blocks.map((b) => Math.round(b.left * 1e6) / 1e6),
      [44, 256, 468],
    );
  });

  it("maps times to x inside their window's block and back, with nothing between blocks", () => {
    const blocks = placeBlocks(threeWindows, 0, 624, 12);
    const x = xOfTime(blocks, 101);
    assert.ok(x > blocks[1]!.left && x < blocks[1]!.left + blocks[1]!.width);
    assert.ok(Math.abs(timeAtX(blocks, x)! - 101) < 1e-9);
    assert.equal(timeAtX(blocks, blocks[0]!.left + blocks[0]!.width + 5), null, 'the gap is no time');
    assert.equal(timeAtX(blocks, -1), null);
    assert.equal(xOfTime(blocks, 60), blocks[0]!.left + blocks[0]!.width, 'an unheard time sits at the end of the block before it');
  });

  it('keeps a segment that ends where the next window starts inside its own block', () => {
    const adjacent = {
      times: [0, 4.32].flatMap((offset) => Array.from({ length: 135 }, (_, t) => offset + t * frameSec)),
      windows: [0, 4.32].map((offset, i) => ({ offset, duration: 4.32, firstColumn: i * 135, columns: 135 })),
    };
    const blocks = placeBlocks(adjacent, 0, 412, 12);
    const [x0, x1] = spanX(blocks, { start: 0, end: 4.32 });
    assert.ok(x0 >= blocks[0]!.left && x0 < blocks[0]!.left + 1, `${x0} is at the first block's left edge`);
    assert.ok(Math.abs(x1 - (blocks[0]!.left + blocks[0]!.width)) < 1e-9, `${x1} is the first block's right edge, not the second's left`);
    assert.ok(xOfTime(blocks, 4.32) >= blocks[1]!.left, 'while the time itself belongs to the second window');
  });

  it("labels each block's start and, inside wide blocks, round times that do not crowd it", () => {
    const blocks = placeBlocks(threeWindows, 0, 1224, 12);
    const ticks = axisTicks(blocks, 70);
    assert.deepEqual(
      ticks.filter((t) => t.blockStart).map((t) => [t.x, t.label]),
      blocks.map((b) => [b.left, clock(b.start)]),
    );
    const inner = ticks.filter((t) => !t.blockStart);
    assert.ok(inner.length > 0, 'a 400-px block has room for inner ticks');
    for (const t of inner) {
      const b = blocks.find((b) => t.x >= b.left && t.x <= b.left + b.width)!;
      assert.ok(t.x - b.left >= 70, `${t.label} keeps clear of the block's start label`);
      const time = timeAtX(blocks, t.x)!;
      assert.ok(Math.abs(time - Math.round(time)) < 1e-6 && t.label === clock(time), `${t.label} at a whole second`);
    }
    assert.ok(axisTicks(placeBlocks(threeWindows, 0, 300, 12), 70).every((t) => t.blockStart), 'narrow blocks get their start labels only');
  });

  it('gives rising mel-band centre frequencies inside the spec range', () => {
    const c = bandCentres();
    assert.equal(c.length, INSPECTOR_GEOMETRY.nMels);
    for (let i = 1; i < c.length; i++) assert.ok(c[i]! > c[i - 1]!);
    assert.ok(c[0]! > INSPECTOR_GEOMETRY.fMin && c.at(-1)! < INSPECTOR_GEOMETRY.fMax);
    // Slaney: linear below 1 kHz, so the first bands are evenly spaced.
    assert.ok(Math.abs(c[2]! - c[1]! - (c[1]! - c[0]!)) < 1e-6);
  });

  it('colours bytes through the lookup table, top row first', () => {
    const lut = colormap('viridis');
    const px = rgbaOf(2, 1, (x) => (x === 0 ? 0 : 255), lut);
    assert.deepEqual([...px], [0x44, 0x01, 0x54, 255, 0xfd, 0xe7, 0x25, 255]);
  });

  it('has perceptual maps that get lighter from 0 to 1', () => {
    for (const name of ['viridis', 'magma'] as const) {
      const lut = colormap(name);
      const luma = (i: number) => 0.2126 * lut[i * 3]! + 0.7152 * lut[i * 3 + 1]! + 0.0722 * lut[i * 3 + 2]!;
      for (let i = 8; i < 256; i += 8) assert.ok(luma(i) > luma(i - 8), `${name} at ${i}`);
    }
    assert.equal(colourAt('magma', 2), 'rgb(252, 253, 191)');
  });

  it('labels time axes in m:ss with a readable tick step', () => {
    assert.equal(clock(75.4), '1:15');
    assert.equal(tickStep(14, 6), 5);
    assert.equal(tickStep(600, 6), 120);
  });
});
