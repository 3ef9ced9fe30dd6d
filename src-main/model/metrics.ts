// Masked per-tag ROC-AUC and PR-AUC (average precision) and their macro averages, defined exactly
// as the trainer's (training/pcnn/metrics.py), so `betti eval` and MODEL_CARD.md mean the same:
// only clips where a tag's label is known take part in that tag's metric, and a tag without both
// a positive and a negative among them has no metric (null) and is left out of the macro average.

/** 1-based ranks, ties sharing their average rank. */
function averageRanks(s: readonly number[]): Float64Array {
  const order = s.map((_, i) => i).sort((a, b) => s[a]! - s[b]! || a - b);
  const ranks = new Float64Array(s.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && s[order[j + 1]!] === s[order[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** P(score of a positive > score of a negative), ties counting one half (Mann–Whitney); null without both classes. */
export function rocAuc(labels: readonly boolean[], scores: readonly number[]): number | null {
  const pos = labels.filter(Boolean).length;
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return null;
  const r = averageRanks(scores);
  let sum = 0;
  labels.forEach((y, i) => {
    if (y) sum += r[i]!;
  });
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Σ over distinct thresholds of (recall step) × precision, as scikit-learn defines average precision; null without both classes. */
export function averagePrecision(labels: readonly boolean[], scores: readonly number[]): number | null {
  const pos = labels.filter(Boolean).length;
  if (pos === 0 || pos === labels.length) return null;
  // Descending score; equal scores keep their input order (numpy's stable mergesort on −s).
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  order.forEach((idx, k) => {
    if (labels[idx]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[idx]) return; // not the last of its score
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  });
  return ap;
}

export interface TagMetric {
  /** Clips where the tag's label is known. */
  readonly known: number;
  readonly positives: number;
  readonly rocAuc: number | null;
  readonly prAuc: number | null;
}

export interface Evaluation {
  readonly perTag: TagMetric[];
  readonly macroRocAuc: number | null;
  readonly macroPrAuc: number | null;
  /** Tags with a metric (both classes among their known labels). */
  readonly tagsScored: number;
}

const mean = (v: (number | null)[]): number | null => {
  const xs = v.filter((x): x is number => x !== null);
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
};

/**
 * Metrics per tag over clips: `labels[i][t]` true/false, `known[i][t]` whether that label counts,
 * `scores[i][t]` the predicted probability.
 */
export function evaluate(labels: readonly (readonly boolean[])[], scores: readonly (readonly number[])[], known: readonly (readonly boolean[])[]): Evaluation {
  const tags = scores[0]?.length ?? 0;
  const perTag: TagMetric[] = [];
  for (let t = 0; t < tags; t++) {
    const y: boolean[] = [];
    const s: number[] = [];
    labels.forEach((row, i) => {
      if (!known[i]![t]) return;
      y.push(row[t]!);
      s.push(scores[i]![t]!);
    });
    perTag.push({ known: y.length, positives: y.filter(Boolean).length, rocAuc: rocAuc(y, s), prAuc: averagePrecision(y, s) });
  }
  const roc = perTag.map((m) => m.rocAuc);
  return { perTag, macroRocAuc: mean(roc), macroPrAuc: mean(perTag.map((m) => m.prAuc)), tagsScored: roc.filter((r) => r !== null).length };
}
