// The inspector's pure picture helpers: bytes, colours, segment times, mel-band frequencies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { INSPECTOR_GEOMETRY } from '../../src-main/api/schemas/inspector.ts';
import { bandCentres, bytesFromBase64, clock, landscapeByte, landscapesOf, rgbaOf, segmentAt, segmentSpans, spectrogramOf, tickStep } from '../../src-renderer/features/inspector/pictures.ts';
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
      logMel: { shape: [2, 3], min: 0, max: 1, base64: Buffer.from([0, 1, 2, 3, 4, 5]).toString('base64'), times: [0.016, 0.048] },
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
