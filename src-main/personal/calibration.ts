// From a personal model's held-out scores to what a person sees: a probability per track (Platt
// scaling: a logistic curve fitted to the held-out scores, with Platt's smoothed targets so that
// a perfectly separated set does not produce certainties), the decision threshold on that
// probability, and the precision and recall it gives.

export interface Calibration {
  readonly slope: number;
  readonly offset: number;
}

export function probability(c: Calibration, score: number): number {
  const t = c.slope * score + c.offset;
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

/**
 * Fits p = σ(a·s + b) to 0/1 labels by Newton's method on the log loss (Platt 1999, with the
 * targets (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2) and a tiny ridge on a and b for stability).
 */
export function fitCalibration(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i]! > 0 ? 1 : 0;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    // Gradient and Hessian of Σ −t log p − (1 − t) log(1 − p) (+ 1e-6·(a² + b²)/2).
    let ga = 1e-6 * a;
    let gb = 1e-6 * b;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      const t = labels[i]! > 0 ? hi : lo;
      const p = probability({ slope: a, offset: b }, s);
      const g = p - t;
      const w = Math.max(p * (1 - p), 1e-12);
      ga += g * s;
      gb += g;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { slope: a, offset: b };
}

export interface Operating {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Precision and recall of "probability ≥ threshold" against the labels. */
export function operatingAt(probabilities: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Operating {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const y = labels[i]! > 0;
    if (y) pos += 1;
    if (probabilities[i]! >= threshold) {
      if (y) tp += 1;
      else fp += 1;
    }
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = pos > 0 ? tp / pos : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, precision, recall, f1 };
}

/**
 * The threshold with the best F1 among the probabilities themselves (each is a possible cut),
 * never below `floor`: a suggestion has to be more likely than not to be worth a person's look.
 */
export function chooseThreshold(probabilities: ArrayLike<number>, labels: ArrayLike<number>, floor = 0.5): Operating {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => probabilities[j]! - probabilities[i]!);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i]! > 0 ? 1 : 0;
  let best: Operating = operatingAt(probabilities, labels, Math.max(floor, 1));
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (labels[i]! > 0) tp += 1;
    else fp += 1;
    const cut = probabilities[i]!;
    if (cut < floor) break;
    const next = order[k + 1];
    if (next !== undefined && probabilities[next] === cut) continue; // ties: cut below the last of them
    const precision = tp / (tp + fp);
    const recall = pos > 0 ? tp / pos : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold: cut, precision, recall, f1 };
  }
  return best;
}
