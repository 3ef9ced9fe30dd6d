// Scores to probabilities and the decision threshold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseThreshold, fitCalibration, operatingAt, probability } from '../../src-main/personal/calibration.ts';

test('Platt calibration is increasing in the score and stays short of certainty on separable data', () => {
  const scores = [-2, -1.5, -1, -0.5, 0.4, 0.9, 1.2, 2];
  const labels = [0, 0, 0, 0, 1, 1, 1, 1];
  const c = fitCalibration(scores, labels);
  assert.ok(c.slope > 0);
  const p = scores.map((s) => probability(c, s));
  for (let i = 1; i < p.length; i++) assert.ok(p[i]! > p[i - 1]!);
  // Platt's targets (N₊+1)/(N₊+2) = 5/6 and 1/6 keep the ends away from 0 and 1.
  assert.ok(p[0]! > 0.01 && p.at(-1)! < 0.99);
});

test('calibration matches the base rate where scores carry no information', () => {
  const scores = Array.from({ length: 200 }, (_, i) => (i % 10) / 10);
  const labels = scores.map((_, i) => (Math.floor(i / 10) % 4 === 0 ? 1 : 0)); // every score as often among positives
  const c = fitCalibration(scores, labels);
  for (const s of [0, 0.5, 0.9]) assert.ok(Math.abs(probability(c, s) - 0.25) < 0.03);
});

test('the threshold is the cut with the best F1, never below the floor, with its precision and recall', () => {
  const probs = [0.95, 0.9, 0.8, 0.7, 0.6, 0.3, 0.25, 0.1];
  const labels = [1, 1, 0, 1, 0, 1, 0, 0];
  const best = chooseThreshold(probs, labels, 0);
  // Cuts: 0.95 → F1 .4; 0.9 → .667; 0.8 → .571; 0.7 → .75; 0.6 → .667; 0.3 → .8; 0.25 → .727.
  assert.equal(best.threshold, 0.3);
  assert.equal(best.precision, 4 / 6);
  assert.equal(best.recall, 1);
  assert.deepEqual(operatingAt(probs, labels, 0.3), best);
  const floored = chooseThreshold(probs, labels, 0.5);
  assert.equal(floored.threshold, 0.7);
  assert.equal(floored.recall, 3 / 4);
});

test('tied probabilities are cut below the last of them', () => {
  const best = chooseThreshold([0.8, 0.8, 0.8, 0.2], [1, 0, 1, 0], 0);
  assert.equal(best.threshold, 0.8);
  assert.equal(best.precision, 2 / 3);
});
