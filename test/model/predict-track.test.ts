// predictTrack in-process, as the analysis workers and the inspector call it: the planned windows
// are the only audio decoded (pictures included), the averages are the means of the windows, the
// pictures show those windows in their promised shapes, and cancellation and every tensor are handled.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { decodeRangesMono16k, type DecodeRange, type DecodeRequest } from '../../src-main/audio/decode.ts';
import { loadModel, loadTf, type LoadedModel } from '../../src-main/model/load.ts';
import { predictTrack } from '../../src-main/model/predict.ts';
import { planWindows } from '../../src-main/model/window-plan.ts';
import { makeAudio } from '../helpers/ffmpeg-fixtures.ts';
import { shippedModelDir } from '../helpers/shipped-model.ts';

describe('predictTrack', () => {
  let dir = '';
  let model: LoadedModel;
  let long = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'betti-predict-track-'));
    // 30 s whose pitch changes every 10 s, so windows at start, middle and end hear different sounds.
    long = makeAudio(dir, 'three-parts', 'ogg', { exprs: '0.4*sin(2*PI*(if(lt(t\\,10)\\,220\\,if(lt(t\\,20)\\,880\\,3520)))*t)', seconds: 30 });
    model = await loadModel({ dir: shippedModelDir, architecture: 'pcnn' });
  });
  after(() => {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hears the planned windows and averages them into the track tags and embedding', async () => {
    const p = await predictTrack(model, long);
    assert.ok(Math.abs(p.durationSec - 30) < 0.1, `${p.durationSec}`);
    const plan = planWindows(p.durationSec, model.window);
    assert.deepEqual(
      p.perWindow.map(({ offset, duration }) => ({ offset, duration })),
      plan,
    );
    assert.equal(p.windows, 3);
    model.tags.forEach((t, i) => {
      const mean = p.perWindow.reduce((s, w) => s + w.probabilities[i]!, 0) / p.windows;
      assert.ok(Math.abs(p.tags[t.tag]! - mean) < 1e-9, `${t.tag}: the track probability is the mean of the windows`);
    });
    const differ = model.tags.some((_, i) => Math.abs(p.perWindow[0]!.probabilities[i]! - p.perWindow[2]!.probabilities[i]!) > 1e-4);
    assert.ok(differ, 'windows at the start and the end hear different audio');
    assert.equal(p.embedding.length, 512);
    assert.ok(p.embedding.every((v) => v >= 0 && Number.isFinite(v)), 'a ReLU output');
    assert.equal(p.backend, model.backend);
    for (const [k, v] of Object.entries(p.timing)) assert.ok(v >= 0 && Number.isFinite(v), `${k}: ${v}`);
    assert.ok(p.timing.landscapeMs > 0, 'the PCNN spends time in its landscape layer');
  });

  it('returns the pictures: the spectrogram of the analysed windows, a block each, and 64 × 5 × 10 landscapes per window segment', async () => {
    const p = await predictTrack(model, long, { display: true, maxWindows: 2 });
    assert.ok(p.display);
    const { logMel, landscapes, landscapeShape } = p.display;
    const plan = planWindows(p.durationSec, model.window, { maxWindows: 2 });
    // Two windows of 135 frames fit in 512 columns: full resolution, one column per frame.
    assert.equal(logMel.columns, 2 * model.window.frames);
    assert.deepEqual(
      logMel.windows,
      plan.map((w, i) => ({ ...w, firstColumn: i * model.window.frames, columns: model.window.frames })),
    );
    assert.equal(logMel.bands, 128);
    assert.equal(logMel.values.length, logMel.columns * logMel.bands);
    assert.ok(logMel.values.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
    assert.equal(logMel.times.length, logMel.columns);
    assert.ok(logMel.times.every((t, i) => i === 0 || t > logMel.times[i - 1]!), 'time runs forward');
    for (const w of logMel.windows) {
      const times = logMel.times.slice(w.firstColumn, w.firstColumn + w.columns);
      assert.ok(Math.abs(times[0]! - w.offset) < 1e-9, 'a window starts at its first frame');
      assert.ok(times.every((t) => t >= w.offset && t < w.offset + w.duration), `the columns of the window at ${w.offset} s lie inside it`);
    }
    assert.deepEqual(landscapeShape, { channels: 64, k: 5, points: 10 });
    assert.equal(landscapes.length, 2);
    for (const w of landscapes) {
      assert.equal(w.length, 1, 'one segment per 4.32 s window');
      assert.equal(w[0]!.length, 64 * 5 * 10);
      // A tent min(t − d, b − t) with d ≥ 0 (ReLU activations) is at most t ≤ 4.5, the last sample point.
      assert.ok(w[0]!.every((v) => v >= 0 && v <= 4.5), 'landscape values lie in [0, 4.5]');
      assert.ok(w[0]!.some((v) => v > 0), 'and are not all zero');
    }
    // The pictures cost no other audio: the tags are exactly those of an analysis without them.
    const plain = await predictTrack(model, long, { maxWindows: 2 });
    assert.deepEqual(plain.tags, p.tags);
  });

  it('decodes only the planned windows, by seeking, with pictures or without', async () => {
    for (const display of [true, false]) {
      const asked: (readonly DecodeRange[])[] = [];
      const decodeRanges = (path: string, ranges: readonly DecodeRange[], request: Omit<DecodeRequest, keyof DecodeRange>) => {
        asked.push(ranges);
        return decodeRangesMono16k(path, ranges, request);
      };
      const p = await predictTrack(model, long, { display, decodeRanges });
      assert.deepEqual(
        asked.map((ranges) => ranges.map(({ offset, duration }) => ({ offset, duration }))),
        [planWindows(p.durationSec, model.window)],
        `display ${display}: one decoding of the planned windows, none of the whole track`,
      );
      assert.equal(p.display !== undefined, display);
    }
  });

  it('stops with a cancelled error when its signal is aborted, and leaves no tensor behind', async () => {
    const tf = await loadTf();
    const tensors = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(predictTrack(model, long, { signal: controller.signal }), (err: unknown) => err instanceof BettiError && err.kind === 'cancelled');
    await predictTrack(model, long);
    assert.equal(tf.memory().numTensors, tensors);
  });
});
