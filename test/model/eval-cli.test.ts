// `betti eval` runs the app's pipeline end to end on a slice of ../shared/data and prints masked
// per-tag and macro ROC-AUC and PR-AUC; its label masking follows the data set's README.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { evenSubset } from '../../src-main/model/evaluate.ts';
import { parseLabelledManifest } from '../../src-main/model/labelled-manifest.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { sharedDataDir, sharedDataSkip } from '../helpers/shared-data.ts';
import { shippedModelDir } from '../helpers/shipped-model.ts';
import { tempDir } from '../helpers/tmp.ts';

interface EvalOut {
  modelVersion: string;
  backend: string;
  split: string | null;
  clips: number;
  failed: unknown[];
  tags: { tag: string; category: string; known: number; positives: number; rocAuc: number | null; prAuc: number | null }[];
  macro: { rocAuc: number | null; prAuc: number | null; tagsScored: number };
}

const manifest = join(sharedDataDir, 'manifest.csv');
const LIMIT = 12;

describe('betti eval', { skip: sharedDataSkip }, () => {
  it('scores a slice of the test split: every tag, masked counts as the README says, metrics in [0, 1]', () => {
    const r = runBetti(['eval', '--json', '--manifest', manifest, '--split', 'test', '--limit', String(LIMIT)], { timeoutMs: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = parseJsonOutput<EvalOut>(r);
    const vocabulary = JSON.parse(readFileSync(join(shippedModelDir, 'tags.json'), 'utf8')) as { tag: string; category: string }[];
    assert.equal(out.split, 'test');
    assert.equal(out.clips, LIMIT);
    assert.deepEqual(out.failed, []);
    assert.deepEqual(
      out.tags.map((t) => t.tag),
      vocabulary.map((v) => v.tag),
    );

    // The same rows, counted straight from the CSV: a listed tag is a positive; an absent one is a
    // known negative only when its category is among the row's labelled_categories.
    const rows = evenSubset(
      parseLabelledManifest(readFileSync(manifest, 'utf8'), manifest).filter((c) => c.split === 'test'),
      LIMIT,
    );
    for (const t of out.tags) {
      const positives = rows.filter((c) => c.tags.includes(t.tag)).length;
      const known = rows.filter((c) => c.tags.includes(t.tag) || c.labelledCategories!.includes(t.category)).length;
      assert.equal(t.positives, positives, `${t.tag}: positives`);
      assert.equal(t.known, known, `${t.tag}: known labels`);
      const scorable = positives > 0 && positives < known;
      assert.equal(t.rocAuc !== null, scorable, `${t.tag}: a metric exactly when both classes are known`);
      for (const v of [t.rocAuc, t.prAuc]) if (v !== null) assert.ok(v >= 0 && v <= 1, `${t.tag}: ${v}`);
    }
    assert.ok(out.tags.some((t) => t.known < LIMIT), 'some labels are masked (e.g. mode is labelled only for synth-midi)');
    assert.equal(out.macro.tagsScored, out.tags.filter((t) => t.rocAuc !== null).length);
    assert.ok(out.macro.tagsScored >= 5, `${out.macro.tagsScored} tags scored`);
    const mean = out.tags.filter((t) => t.rocAuc !== null).reduce((s, t) => s + t.rocAuc!, 0) / out.macro.tagsScored;
    assert.ok(Math.abs(out.macro.rocAuc! - mean) < 1e-12, 'macro = mean over scorable tags');
  });

  it('prints a per-tag table and the macro averages for a person', () => {
    const r = runBetti(['eval', '--manifest', manifest, '--split', 'valid', '--limit', '6'], { timeoutMs: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /on 6 clip\(s\) of .*manifest\.csv, split valid/);
    assert.match(r.stdout, /^tag +category +known +pos +ROC-AUC +PR-AUC$/m);
    assert.match(r.stdout, /^speech +vocal +\d+ +\d+ /m);
    assert.match(r.stdout, /macro over \d+ scorable tag\(s\): ROC-AUC (\d\.\d{4}|—), PR-AUC/);
  });

  it('says what is wrong with a bad manifest or split, and scores a manifest without split or mask columns', (t) => {
    const missing = runBetti(['eval', '--manifest', join(sharedDataDir, 'nope.csv')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read the manifest .*nope\.csv/);
    const badSplit = runBetti(['eval', '--manifest', manifest, '--split', 'holdout']);
    assert.equal(badSplit.status, 2);
    assert.match(badSplit.stderr, /no rows of split "holdout" \(its splits: .*test/);

    // Two columns only: every absent tag counts as a negative.
    const dir = tempDir(t);
    const csv = join(dir, 'mine.csv');
    writeFileSync(csv, 'path,tags\naudio/speech/s000.ogg,speech\naudio/hydrogen/BJA_Pacific_00.ogg,drums;slow;solo\n');
    const r = runBetti(['eval', '--json', '--manifest', csv, '--root', sharedDataDir]);
    assert.equal(r.status, 0, r.stderr);
    const out = parseJsonOutput<EvalOut>(r);
    assert.equal(out.clips, 2);
    assert.ok(out.tags.every((x) => x.known === 2));
    assert.equal(out.tags.find((x) => x.tag === 'speech')!.rocAuc !== null, true);
  });
});
