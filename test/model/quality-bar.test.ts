// The quality bar a shipped tag must clear on the valid split to be suggested, and the shipped
// model's tags measured against it (what its model card says they are).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BAR, modelTagVerdict } from '../../src-main/model/quality-bar.ts';
import { readModelJson, readTagsJson } from '../../src-main/model/model-files.ts';

const modelDir = fileURLToPath(new URL('../../resources/model', import.meta.url));

test('a tag is suggested when its valid ROC-AUC, over all clips and within sources, and its precision at the threshold all reach the bar', () => {
  assert.deepEqual(modelTagVerdict({ rocAuc: 0.8, rocAucWithinSource: 0.8, precision: 0.5 }), {
    suggested: true,
    quality: 'validation ROC-AUC 0.800 (0.800 within sources), precision 0.500 at the threshold',
  });
  assert.equal(modelTagVerdict({ rocAuc: 0.79, rocAucWithinSource: 0.9, precision: 0.9 }).suggested, false);
  assert.equal(modelTagVerdict({ rocAuc: 0.9, rocAucWithinSource: 0.79, precision: 0.9 }).suggested, false);
  assert.equal(modelTagVerdict({ rocAuc: 0.99, rocAucWithinSource: 0.99, precision: 0.49 }).suggested, false);
});

test('each way of missing the bar says why', () => {
  assert.equal(modelTagVerdict({ rocAuc: 0.69, rocAucWithinSource: 0.69, precision: 0.64 }).quality, 'validation ROC-AUC 0.690 is below 0.8');
  assert.equal(modelTagVerdict({ rocAuc: 0.9, rocAucWithinSource: 0.7, precision: 0.64 }).quality, 'validation ROC-AUC within sources 0.700 is below 0.8');
  assert.equal(modelTagVerdict({ rocAuc: 0.9, rocAucWithinSource: 0.9, precision: 0.41 }).quality, 'validation precision 0.410 at the threshold is below 0.5');
  assert.equal(modelTagVerdict({ rocAuc: 0.9, rocAucWithinSource: 0.9, precision: null }).quality, 'no validation clip reaches its threshold');
  assert.equal(modelTagVerdict({ rocAuc: null, rocAucWithinSource: null, precision: 1 }).quality, 'validation holds only one class of this tag, so its quality is unknown');
});

test('a tag whose valid positives and negatives never share a source is not suggested, however well it scores', () => {
  // The training data's genre tags: every negative is synthetic speech, so ROC-AUC 1 says "music", not "classical".
  const v = modelTagVerdict({ rocAuc: 1, rocAucWithinSource: null, precision: 1 });
  assert.equal(v.suggested, false);
  assert.equal(v.quality, 'validation only compares it across sources, so its score may tell recordings apart, not the tag');
});

test('a model folder without measurements keeps every tag suggested', () => {
  assert.equal(modelTagVerdict(undefined).suggested, true);
});

test('a stricter bar withholds more', () => {
  const q = { rocAuc: 0.85, rocAucWithinSource: 0.85, precision: 0.6 };
  assert.equal(modelTagVerdict(q).suggested, true);
  assert.equal(modelTagVerdict(q, { ...DEFAULT_BAR, minRocAuc: 0.9 }).suggested, false);
});

test('the shipped tags.json carries measurements for every tag, thresholds at or above the floor, and the model card lists the same verdicts', () => {
  const tags = readTagsJson(modelDir, readModelJson(modelDir).tags);
  const card = readFileSync(`${modelDir}/MODEL_CARD.md`, 'utf8');
  for (const t of tags) {
    assert.ok(t.valid, `${t.tag}: no valid measurements`);
    assert.ok(t.threshold >= DEFAULT_BAR.thresholdFloor, `${t.tag}: threshold ${t.threshold} below the floor`);
    const row = card.split('\n').find((l) => l.startsWith(`| ${t.tag} |`));
    assert.ok(row, `${t.tag}: not in the model card's per-tag table`);
    const cells = row.split('|').map((c) => c.trim());
    assert.equal(cells.at(-2), modelTagVerdict(t.valid).suggested ? 'yes' : 'no', `${t.tag}: the card's "suggested" column`);
  }
});
