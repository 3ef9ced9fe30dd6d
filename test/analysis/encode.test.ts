// The worker's conversion of a model prediction into the compact form that is sent and stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dequantize, encodePrediction, quantize } from '../../src-main/analysis/encode.ts';
import type { TrackPrediction } from '../../src-main/model/predict.ts';

test('quantize maps the range onto 0…255 and dequantize recovers each value to half a step', () => {
  const values = [-1.5, 0, 0.25, 2.5];
  const q = quantize(values, [2, 2]);
  assert.deepEqual([q.min, q.max, [...q.data]], [-1.5, 2.5, [0, 96, 112, 255]]);
  const step = (q.max - q.min) / 255;
  values.forEach((v, i) => assert.ok(Math.abs(dequantize(q, q.data[i]!) - v) <= step / 2 + 1e-12));
  assert.deepEqual([...quantize([3, 3], [2]).data], [0, 0], 'a constant picture is all zeros, not NaN');
  assert.deepEqual(quantize([], [0]), { shape: [0], min: 0, max: 0, data: new Uint8Array(0) });
});

test('encodePrediction orders every per-tag array by the model vocabulary and packs the pictures', () => {
  const model = { specVersion: 'betti-features-1', tags: [{ tag: 'piano', category: 'instrument', threshold: 0.5 }, { tag: 'slow', category: 'tempo', threshold: 0.4 }] };
  const prediction: TrackPrediction = {
    path: '/m/a.mp3',
    durationSec: 240,
    windows: 2,
    backend: 'wasm',
    modelVersion: 'pcnn-x',
    architecture: 'pcnn',
    tags: { slow: 0.25, piano: 0.75 },
    aboveThreshold: ['piano'],
    embedding: Array.from({ length: 512 }, (_, i) => i / 512),
    perWindow: [
      { offset: 10, duration: 4.32, probabilities: [0.7, 0.2] },
      { offset: 100, duration: 4.32, probabilities: [0.8, 0.3] },
    ],
    display: {
      logMel: {
        columns: 2,
        bands: 3,
        times: [10.0, 100.0],
        values: [0, 10, 20, 30, 40, 255],
        min: -1,
        max: 4,
        windows: [
          { offset: 10, duration: 4.32, firstColumn: 0, columns: 1 },
          { offset: 100, duration: 4.32, firstColumn: 1, columns: 1 },
        ],
      },
      landscapes: [[Array(3200).fill(0.5)], [Array(3200).fill(1)]],
      landscapeShape: { channels: 64, k: 5, points: 10 },
    },
    timing: { decodeMs: 5, logMelMs: 1, convMs: 2, landscapeMs: 0.5, restMs: 1 },
  };
  const a = encodePrediction(model, prediction);
  assert.deepEqual([...a.confidences], [0.75, 0.25]);
  assert.deepEqual([...a.windowProbabilities], [...Float32Array.of(0.7, 0.2, 0.8, 0.3)]);
  assert.deepEqual([...a.windowOffsets], [10, 100]);
  assert.equal(a.embedding.length, 512);
  assert.equal(a.specVersion, 'betti-features-1');
  assert.ok(a.display);
  assert.deepEqual(a.display.logMel.shape, [2, 3]);
  assert.deepEqual([...a.display.logMel.data], [0, 10, 20, 30, 40, 255]);
  assert.deepEqual([...a.display.logMelTimes], [10, 100]);
  assert.deepEqual(a.display.landscapes.shape, [2, 1, 64, 5, 10]);
  assert.equal(a.display.landscapes.data.length, 6400);
  assert.deepEqual([a.display.landscapes.data[0], a.display.landscapes.data[3200]], [0, 255]);
  assert.equal(encodePrediction(model, { ...prediction, display: undefined } as TrackPrediction).display, null);
});
