// The chroma branch's context (model.json config.chroma.context, training/EXPORT_FORMAT.md): with
// "segment" each segment's profiles are matched against its own mean chroma; with "window", every
// segment is matched against the window's mean chroma. The same weights run both ways here (a copy
// of the shipped model with the context edited), so only the context differs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { loadModel } from '../../src-main/model/load.ts';
import { inputBands, minFrames, readModelJson, type LayerConfig } from '../../src-main/model/model-files.ts';
import { predictWindows } from '../../src-main/model/predict.ts';
import { copyShippedModel, editModelJson } from '../helpers/shipped-model.ts';

type Chroma = { profiles: number; context?: string };

/** A copy of the shipped model whose config.chroma.context is `context` (absent for undefined). */
function withContext(t: TestContext, context: string | undefined): string {
  const dir = copyShippedModel(t);
  editModelJson<{ config: { chroma: Chroma } }>(dir, (m) => {
    if (context === undefined) delete m.config.chroma.context;
    else m.config.chroma.context = context;
  });
  return dir;
}

/** Raw features of a window of `segments` segments whose chroma changes key from segment to segment. */
function windowOf(config: LayerConfig, segments: number): { frames: number; bands: number; data: Float32Array } {
  const frames = minFrames(config) + (segments - 1) * config.segment.steps * config.frontEnd.poolTime;
  const bands = inputBands(config);
  const perSegment = config.segment.steps * config.frontEnd.poolTime;
  const data = new Float32Array(frames * bands);
  for (let f = 0; f < frames; f++) {
    for (let b = 0; b < config.frontEnd.bands; b++) data[f * bands + b] = 2 + Math.sin(f * 0.37 + b * 0.11);
    // A triad whose root moves up a fifth each segment and whose third flips major/minor.
    const s = Math.floor(f / perSegment);
    const root = (7 * s) % 12;
    for (const step of [0, s % 2 === 0 ? 4 : 3, 7]) data[f * bands + config.frontEnd.bands + ((root + step) % 12)] = 4;
  }
  return { frames, bands, data };
}

async function chromaRows(dir: string, config: LayerConfig, segments: number): Promise<Float32Array[]> {
  const model = await loadModel({ dir, backend: 'cpu' });
  try {
    const [out] = await predictWindows(model, [windowOf(config, segments)]);
    assert.equal(out!.segments, segments);
    const profiles = config.chroma.profiles;
    return Array.from({ length: segments }, (_, s) => out!.chromaBranch!.slice(s * profiles, (s + 1) * profiles));
  } finally {
    model.dispose();
  }
}

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('the chroma context of a model', () => {
  it('window: every segment gets the same values; segment: each its own; one segment: both agree', async (t) => {
    const windowDir = withContext(t, 'window');
    const segmentDir = withContext(t, 'segment');
    const config = readModelJson(windowDir).config;
    assert.ok(config.chroma.profiles > 0, 'the shipped model has a chroma branch');

    const window3 = await chromaRows(windowDir, config, 3);
    const segment3 = await chromaRows(segmentDir, config, 3);
    assert.ok(maxDiff(window3[0]!, window3[1]!) < 1e-6 && maxDiff(window3[0]!, window3[2]!) < 1e-6, 'one key for the whole window');
    assert.ok(maxDiff(segment3[0]!, segment3[1]!) > 1e-3, 'per segment, a segment in another mode and key scores otherwise');
    assert.ok(maxDiff(window3[0]!, segment3[0]!) > 1e-3, "the window's mean chroma is not the first segment's");

    const [window1] = await chromaRows(windowDir, config, 1);
    const [segment1] = await chromaRows(segmentDir, config, 1);
    assert.ok(maxDiff(window1!, segment1!) < 1e-6, 'a window of one segment is that segment');
  });

  it('a model.json without the field (exported before it existed) matches per segment', async (t) => {
    const legacyDir = withContext(t, undefined);
    const segmentDir = withContext(t, 'segment');
    const config = readModelJson(segmentDir).config;
    const legacy = await chromaRows(legacyDir, config, 2);
    const segment = await chromaRows(segmentDir, config, 2);
    legacy.forEach((row, s) => assert.ok(maxDiff(row, segment[s]!) < 1e-6, `segment ${s}`));
  });

  it('refuses a context it does not know, naming the field', async (t) => {
    const dir = withContext(t, 'clip');
    const path = join(dir, 'model.json');
    await assert.rejects(loadModel({ dir, backend: 'cpu' }), (err: Error) => {
      assert.match(err.message, /chroma\.context/);
      assert.ok(err.message.includes(path), err.message);
      return true;
    });
  });
});
