// The inspector's spectrogram picture (model/display.ts): made of the analysed windows' log-mels,
// each window its own block of columns at one shared time scale, and the blocks found again from
// the column times the library stores.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogMel } from '../../src-main/features/logmel.ts';
import { FEATURE_SPEC } from '../../src-main/features/spec.ts';
import { pictureWindows, spectrogramPicture } from '../../src-main/model/display.ts';

const frameSec = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate;

/** A log-mel whose value at (frame t, band b) is `value(t, b)`. */
function mel(frames: number, bands: number, value: (t: number, b: number) => number): LogMel {
  const data = new Float32Array(frames * bands);
  for (let t = 0; t < frames; t++) for (let b = 0; b < bands; b++) data[t * bands + b] = value(t, b);
  return { frames, bands, data };
}

describe('spectrogram picture', () => {
  it('keeps every frame of windows that fit, each window a block starting at its own offset', () => {
    const p = spectrogramPicture([
      { offset: 100, duration: 4.32, mel: mel(3, 2, () => 1) },
      { offset: 10, duration: 4.32, mel: mel(2, 2, (t, b) => t + b) },
    ]);
    assert.equal(p.columns, 5);
    assert.deepEqual(p.windows, [
      { offset: 10, duration: 4.32, firstColumn: 0, columns: 2 },
      { offset: 100, duration: 4.32, firstColumn: 2, columns: 3 },
    ]);
    assert.deepEqual(
      p.times.map((t) => Number(t.toFixed(6))),
      [10, 10 + frameSec, 100, 100 + frameSec, 100 + 2 * frameSec].map((t) => Number(t.toFixed(6))),
    );
    // Values 0 … 2 over the picture: the window at 10 s is t + b, the one at 100 s all 1.
    assert.equal(p.min, 0);
    assert.equal(p.max, 2);
    assert.deepEqual(p.values, [0, 128, 128, 255, 128, 128, 128, 128, 128, 128]);
  });

  it('pools frames by one factor in every window and never across two, within the column limit', () => {
    const windows = Array.from({ length: 64 }, (_, i) => ({ offset: i * 5, duration: 4.32, mel: mel(135, 1, () => (i % 2) * 255) }));
    const p = spectrogramPicture(windows, 512);
    assert.ok(p.columns <= 512, `${p.columns} columns`);
    const per = Math.ceil((64 * 135) / 512); // 17 frames a column → 8 columns a window
    assert.equal(p.windows.length, 64);
    for (const [i, w] of p.windows.entries()) {
      assert.equal(w.columns, Math.ceil(135 / per));
      assert.equal(w.firstColumn, i * w.columns);
      const times = p.times.slice(w.firstColumn, w.firstColumn + w.columns);
      assert.ok(times.every((t) => t >= w.offset && t < w.offset + w.duration), `window ${i}'s columns lie inside it`);
      // Windows alternate between 0 and 255: a column that pooled frames of two windows would lie between.
      assert.ok(
        p.values.slice(w.firstColumn, w.firstColumn + w.columns).every((v) => v === (i % 2) * 255),
        `window ${i} mixes no other window`,
      );
    }
  });

  it('adds frames per column when partial last columns would pass the limit', () => {
    // 3 windows × 5 frames = 15 frames for at most 6 columns: 3 frames a column would need 3 × 2 = 6; 2 would need 9.
    const p = spectrogramPicture(
      [0, 10, 20].map((offset) => ({ offset, duration: 1, mel: mel(5, 1, () => 0) })),
      6,
    );
    assert.equal(p.columns, 6);
    assert.deepEqual(
      p.windows.map((w) => w.columns),
      [2, 2, 2],
    );
  });

  it('refuses windows with different band counts and leaves out windows without frames', () => {
    assert.throws(
      () =>
        spectrogramPicture([
          { offset: 0, duration: 1, mel: mel(2, 2, () => 0) },
          { offset: 5, duration: 1, mel: mel(2, 3, () => 0) },
        ]),
      /2 and 3 bands/,
    );
    const p = spectrogramPicture([
      { offset: 0, duration: 1, mel: mel(0, 2, () => 0) },
      { offset: 5, duration: 1, mel: mel(1, 2, () => 0) },
    ]);
    assert.deepEqual(p.windows, [{ offset: 5, duration: 1, firstColumn: 0, columns: 1 }]);
  });
});

describe('picture windows from stored column times', () => {
  it('finds the block of each window from Float32 times and offsets', () => {
    const windows = [
      { offset: 17.83, duration: 4.32 },
      { offset: 117.83, duration: 4.32 },
      { offset: 217.83, duration: 4.32 },
    ];
    const p = spectrogramPicture(windows.map((w) => ({ ...w, mel: mel(135, 1, () => 0) })));
    const stored = Float32Array.from(p.times);
    const storedWindows = windows.map((w) => ({ offset: Math.fround(w.offset), duration: Math.fround(w.duration) }));
    assert.deepEqual(
      pictureWindows(stored, storedWindows).map(({ firstColumn, columns }) => ({ firstColumn, columns })),
      p.windows.map(({ firstColumn, columns }) => ({ firstColumn, columns })),
    );
  });

  it('keeps adjacent windows apart', () => {
    const windows = [
      { offset: 0, duration: 4.32 },
      { offset: 4.32, duration: 4.32 },
    ];
    const p = spectrogramPicture(windows.map((w) => ({ ...w, mel: mel(135, 1, () => 0) })));
    assert.deepEqual(pictureWindows(Float32Array.from(p.times), windows), p.windows);
  });

  it('makes one block of a picture of the whole track (stored before pictures were cut to the windows)', () => {
    const times = Array.from({ length: 400 }, (_, c) => (c + 0.5) * 0.6);
    const [block, ...more] = pictureWindows(times, [
      { offset: 50, duration: 4.32 },
      { offset: 150, duration: 4.32 },
    ]);
    assert.equal(more.length, 0);
    assert.equal(block!.firstColumn, 0);
    assert.equal(block!.columns, 400);
    assert.ok(Math.abs(block!.offset) < 1e-9 && Math.abs(block!.offset + block!.duration - 240) < 1e-9, `${block!.offset} + ${block!.duration}`);
  });

  it('has no blocks for a picture without columns', () => {
    assert.deepEqual(pictureWindows([], [{ offset: 0, duration: 4.32 }]), []);
  });
});
