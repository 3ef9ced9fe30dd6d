// `betti eval`'s metrics mean what MODEL_CARD.md's mean: hand-computed cases, then the trainer's
// own numpy implementation (training/pcnn/metrics.py) on random masked data with ties.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { averagePrecision, evaluate, rocAuc } from '../../src-main/model/metrics.ts';
import { PYTHON } from '../helpers/gudhi-ref.ts';
import { seededRandom } from '../helpers/sequences.ts';

const training = fileURLToPath(new URL('../../training', import.meta.url));

describe('masked ROC-AUC and PR-AUC', () => {
  it('computes hand-checked values, ties counting one half', () => {
    assert.equal(rocAuc([true, false], [0.9, 0.1]), 1);
    assert.equal(rocAuc([true, false], [0.1, 0.9]), 0);
    assert.equal(rocAuc([true, false, true, false], [0.5, 0.5, 0.5, 0.5]), 0.5);
    // Positives 0.8, 0.4; negatives 0.6, 0.2: pairs won 1 + 1 + 0 + 1 = 3 of 4.
    assert.equal(rocAuc([true, true, false, false], [0.8, 0.4, 0.6, 0.2]), 0.75);
    // Ranked 0.8 (+), 0.6 (−), 0.4 (+): AP = ½·1 + ½·⅔.
    assert.ok(Math.abs(averagePrecision([true, true, false, false], [0.8, 0.4, 0.6, 0.2])! - (0.5 + 1 / 3)) < 1e-12);
    assert.equal(rocAuc([true, true], [0.1, 0.2]), null, 'one class only: no metric');
    assert.equal(averagePrecision([false, false], [0.1, 0.2]), null);
  });

  it('leaves unknown labels and unscorable tags out, as the trainer does', () => {
    const labels = [
      [true, false],
      [false, true],
      [true, true],
    ];
    const scores = [
      [0.9, 0.3],
      [0.2, 0.8],
      [0.1, 0.7],
    ];
    const known = [
      [true, true],
      [true, false],
      [false, false],
    ];
    const ev = evaluate(labels, scores, known);
    assert.deepEqual(ev.perTag[0], { known: 2, positives: 1, rocAuc: 1, prAuc: 1 });
    assert.deepEqual(ev.perTag[1], { known: 1, positives: 0, rocAuc: null, prAuc: null });
    assert.equal(ev.tagsScored, 1);
    assert.equal(ev.macroRocAuc, 1);
  });

  it("matches training/pcnn/metrics.py on random masked data with tied scores", () => {
    const rnd = seededRandom(7);
    const n = 120;
    const tags = 6;
    const labels = Array.from({ length: n }, () => Array.from({ length: tags }, (_, t) => rnd() < 0.15 + 0.1 * t));
    // Scores on a coarse grid (many ties) that lean towards the labels.
    const scores = labels.map((row) => row.map((y) => Math.round((rnd() * 0.7 + (y ? 0.3 : 0)) * 20) / 20));
    const known = labels.map((row) => row.map((y, t) => y || t === 5 || rnd() < 0.7));
    known.forEach((row) => (row[4] = false)); // one tag never known: no metric
    const code = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(training)})`,
      'import numpy as np',
      'from pcnn.metrics import evaluate',
      'r = json.load(sys.stdin)',
      'ev = evaluate(np.array(r["y"], dtype=np.float32), np.array(r["s"]), np.array(r["m"], dtype=np.float32))',
      'nan = lambda v: None if v != v else float(v)',
      'print(json.dumps({"roc": [nan(v) for v in ev["roc_auc"]], "pr": [nan(v) for v in ev["pr_auc"]], "macro_roc": ev["macro_roc_auc"], "macro_pr": ev["macro_pr_auc"], "scored": ev["tags_scored"]}))',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify({ y: labels.map((row) => row.map(Number)), s: scores, m: known.map((row) => row.map(Number)) }), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const py = JSON.parse(r.stdout) as { roc: (number | null)[]; pr: (number | null)[]; macro_roc: number; macro_pr: number; scored: number };
    const ev = evaluate(labels, scores, known);
    const close = (a: number | null, b: number | null, what: string) => {
      if (a === null || b === null) assert.equal(a, b, what);
      else assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
    };
    ev.perTag.forEach((m, t) => {
      close(m.rocAuc, py.roc[t]!, `tag ${t} ROC-AUC`);
      close(m.prAuc, py.pr[t]!, `tag ${t} PR-AUC`);
    });
    assert.equal(ev.perTag[4]!.rocAuc, null);
    close(ev.macroRocAuc, py.macro_roc, 'macro ROC-AUC');
    close(ev.macroPrAuc, py.macro_pr, 'macro PR-AUC');
    assert.equal(ev.tagsScored, py.scored);
  });
});
