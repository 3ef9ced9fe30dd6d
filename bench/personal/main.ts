// `npm run bench -- personal [--tracks N] [--values V] [--similar-tracks M] [--queries Q] [--load-tracks L]`
// Personal tag models and similar tracks (issue 10), on synthetic embeddings with the structure of
// real ones (512 non-negative values; tracks in albums; albums in a few dozen styles; each value a
// few styles, with 15 % of its tracks left untagged as people do), everything measured in this run:
//   - learning: Betti's ridge models with album-held-out cross-validation for 10,000 tracks × 50
//     values (the target), against L2 logistic regression by gradient descent (Adam, 100
//     epochs) with 5-fold album cross-validation, in plain TypeScript on the same data: time per
//     value and mean cross-validated ROC-AUC on the values both fitted;
//   - one decision learned (feedback.ts's incremental retrain + rescoring) against relearning
//     that value from scratch;
//   - the Gram matrix XᵀX in Betti's blocked kernel against tfjs-wasm's matMul;
//   - similar tracks at 100,000 tracks: median and p95 query time of Betti's brute-force scan
//     (WebAssembly SIMD dot products, top-n kept in place; and its JavaScript fallback) against the
//     plain loop + full sort, with the answers compared;
//   - loading the embedding matrix from a library database, against reading the same BLOBs.
// Nothing is asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { putAnalysis, putQueueEntry, registerModel } from '../../src-main/library/db/queries/analysis.ts';
import { upsertTrack } from '../../src-main/library/db/queries/tracks.ts';
import { emptyAudio, emptyTags } from '../../src-main/library/track.ts';
import { loadEmbeddingMatrix, type EmbeddingMatrix } from '../../src-main/personal/embedding-matrix.ts';
import { cholesky, gram, solveCholesky } from '../../src-main/personal/linear-algebra.ts';
import { suggestedRows } from '../../src-main/personal/scoring.ts';
import { allocateMatrix } from '../../src-main/personal/simd-dots.ts';
import { nearest } from '../../src-main/personal/similar.ts';
import { addRows, train, type ValueLabels } from '../../src-main/personal/train.ts';
import { formatTable, type Row } from '../features/table.ts';
import { crossValidatedLogistic, packDesign } from './logistic.ts';

const USAGE = 'usage: npm run bench -- personal [--tracks N] [--values V] [--similar-tracks M] [--queries Q] [--load-tracks L] [--logistic-values K]';
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  const n = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench personal: ${name} must be a whole number ≥ 1\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const TRACKS = option('--tracks', 10_000);
const VALUES = option('--values', 50);
const SIMILAR_TRACKS = option('--similar-tracks', 100_000);
const QUERIES = option('--queries', 50);
const LOAD_TRACKS = option('--load-tracks', 20_000);
const LOGISTIC_VALUES = Math.min(VALUES, option('--logistic-values', 5));
const DIMS = 512;
const STYLES = 24;
const PER_ALBUM = 10;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Embeddings of `n` tracks: each album a style plus its own offset, each track noise around it. */
function synthetic(n: number, seed: number): { x: Float32Array; style: Int32Array; album: Int32Array } {
  const rnd = seeded(seed);
  const styles = Array.from({ length: STYLES }, () => Float32Array.from({ length: DIMS }, () => (rnd() < 0.25 ? rnd() * 2 : 0)));
  const x = new Float32Array(n * DIMS);
  const style = new Int32Array(n);
  const album = new Int32Array(n);
  let offset = new Float32Array(DIMS);
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i % PER_ALBUM === 0) {
      s = Math.floor(rnd() * STYLES);
      offset = Float32Array.from({ length: DIMS }, () => (rnd() - 0.5) * 0.8);
    }
    style[i] = s;
    album[i] = Math.floor(i / PER_ALBUM);
    const base = styles[s]!;
    for (let j = 0; j < DIMS; j++) x[i * DIMS + j] = Math.max(0, base[j]! + offset[j]! + (rnd() - 0.5) * 1.6);
  }
  return { x, style, album };
}

/** V values, each the tracks of 1–3 styles, 15 % of them left untagged. */
function values(style: Int32Array, count: number, seed: number): ValueLabels[] {
  const rnd = seeded(seed);
  return Array.from({ length: count }, (_, v) => {
    const picked = new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => Math.floor(rnd() * STYLES)));
    const positives: number[] = [];
    style.forEach((s, i) => {
      if (picked.has(s) && rnd() >= 0.15) positives.push(i);
    });
    return { field: 'GROUPING', value: `value ${v}`, valueKey: `value ${v}`, positives: Int32Array.from(positives), confirmed: [] };
  });
}

const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function section(title: string, rows: Row[]): void {
  console.log(`\n${title}\n${formatTable(rows)}`);
}

// --- learning ------------------------------------------------------------------------------------

console.log(`bench personal: ${TRACKS} tracks × ${VALUES} values for learning, ${SIMILAR_TRACKS} tracks for similarity (${DIMS}-value embeddings, node ${process.version})`);
const lib = synthetic(TRACKS, 1);
const labels = values(lib.style, VALUES, 2);
const groupKeys = Array.from(lib.album, (a) => `album:${a}`);
const t0 = performance.now();
const learned = await train(lib.x, DIMS, groupKeys, labels);
const learnMs = performance.now() - t0;
const ridgeAucs = learned.values.map((v) => v.cvRocAuc ?? 0);

const p = DIMS + 1;
const design = packDesign(lib.x, learned.standardisation, Array.from({ length: TRACKS }, (_, i) => i));
const logisticAucs: number[] = [];
const t1 = performance.now();
for (const v of labels.slice(0, LOGISTIC_VALUES)) {
  const y = new Float64Array(TRACKS);
  for (const r of v.positives) y[r] = 1;
  logisticAucs.push(crossValidatedLogistic(design, p, y, lib.album).rocAuc ?? 0);
}
const logisticPerValue = (performance.now() - t1) / LOGISTIC_VALUES;

section(`Learning ${TRACKS} tracks × ${VALUES} values (cross-validated; λ chosen = ${learned.lambda.toFixed(0)} from ${learned.grid.map((g) => g.lambda.toFixed(0)).join(', ')})`, [
  { benchmark: `all ${VALUES} values, total`, betti: ms(learnMs), reference: `${ms(logisticPerValue * VALUES)} (est. from ${LOGISTIC_VALUES} values)`, ratio: ratio(learnMs, logisticPerValue * VALUES) },
  { benchmark: 'per value', betti: ms(learnMs / VALUES), reference: ms(logisticPerValue), ratio: ratio(learnMs / VALUES, logisticPerValue) },
  { benchmark: '  of which Gram matrix (once)', betti: ms(learned.timing.gramMs), reference: '', ratio: '' },
  { benchmark: '  of which held-out blocks (per λ tried)', betti: ms(learned.timing.holdOutMs / learned.grid.length), reference: '', ratio: '' },
  { benchmark: '  of which per-value fits, all λ', betti: ms(learned.timing.valuesMs), reference: '', ratio: '' },
  {
    benchmark: `mean CV ROC-AUC, first ${LOGISTIC_VALUES} values`,
    betti: mean(ridgeAucs.slice(0, LOGISTIC_VALUES)).toFixed(4),
    reference: mean(logisticAucs).toFixed(4),
    ratio: ratio(mean(ridgeAucs.slice(0, LOGISTIC_VALUES)), mean(logisticAucs)),
  },
  { benchmark: `mean CV ROC-AUC, all ${VALUES} values`, betti: mean(ridgeAucs).toFixed(4), reference: '', ratio: '' },
  { benchmark: 'values offered (quality bar)', betti: String(learned.values.filter((v) => v.offered).length), reference: '', ratio: '' },
]);

// --- one decision learned ------------------------------------------------------------------------

const target = learned.values[0]!;
const matrix: EmbeddingMatrix = {
  modelVersion: 'bench',
  dims: DIMS,
  trackIds: Int32Array.from({ length: TRACKS }, (_, i) => i + 1),
  data: lib.x,
  norms: new Float32Array(TRACKS),
};
const decided = Array.from({ length: 10 }, (_, k) => ({ row: (k * 997) % TRACKS, weight: 2, target: k % 2 === 0 ? 3 : 0 }));
const t2 = performance.now();
const system = addRows(learned.normalMatrix, target.targets, lib.x, learned.standardisation, decided);
const w = solveCholesky(cholesky(system.f, p), p, system.b);
const positive = new Set(target.labels.positives);
const candidates = Array.from({ length: TRACKS }, (_, i) => i).filter((i) => !positive.has(i));
suggestedRows(matrix, candidates, { weights: w, calibration: target.calibration, threshold: target.threshold }, learned.standardisation, learned.leverages);
const feedbackMs = performance.now() - t2;
const t3 = performance.now();
await train(lib.x, DIMS, groupKeys, [labels[0]!]);
const relearnMs = performance.now() - t3;
section('Learning from one review decision (10 decided tracks)', [
  { benchmark: 'retrain one value + rescore its candidates', betti: ms(feedbackMs), reference: `${ms(relearnMs)} (relearn that value)`, ratio: ratio(feedbackMs, relearnMs) },
]);

// --- Gram matrix kernel --------------------------------------------------------------------------

const tg = performance.now();
gram(lib.x, DIMS);
const gramMs = performance.now() - tg;
let tfRow: Row;
try {
  const tf = await import('@tensorflow/tfjs');
  const { chooseBackend } = await import('../../src-main/model/backend.ts');
  const choice = await chooseBackend(tf, { requested: 'wasm' });
  const xt = tf.tensor2d(lib.x, [TRACKS, DIMS]);
  await tf.matMul(xt, xt, true, false).data(); // warm-up
  const tw = performance.now();
  await tf.matMul(xt, xt, true, false).data();
  const tfMs = performance.now() - tw;
  tfRow = { benchmark: `XᵀX, ${TRACKS} × ${DIMS}`, betti: ms(gramMs), reference: `${ms(tfMs)} (tfjs ${choice.backend} matMul)`, ratio: ratio(gramMs, tfMs) };
} catch (err) {
  tfRow = { benchmark: `XᵀX, ${TRACKS} × ${DIMS}`, betti: ms(gramMs), reference: `tfjs-wasm unavailable: ${(err as Error).message}`, ratio: '' };
}
section('Gram matrix', [tfRow]);

// --- similar tracks ------------------------------------------------------------------------------

const big = synthetic(SIMILAR_TRACKS, 3);
const store = allocateMatrix(SIMILAR_TRACKS, DIMS);
store.data.set(big.x);
const norms = new Float32Array(SIMILAR_TRACKS);
for (let r = 0; r < SIMILAR_TRACKS; r++) {
  let s = 0;
  for (let j = 0; j < DIMS; j++) s += big.x[r * DIMS + j]! ** 2;
  norms[r] = Math.sqrt(s);
}
const trackIds = Int32Array.from({ length: SIMILAR_TRACKS }, (_, i) => i + 1);
const simdMatrix: EmbeddingMatrix = { modelVersion: 'bench', dims: DIMS, trackIds, data: store.data, norms, kernel: store.kernel };
const jsMatrix: EmbeddingMatrix = { modelVersion: 'bench', dims: DIMS, trackIds, data: big.x, norms };

/** The plain brute force: one row at a time, every similarity kept, one full sort. */
function naiveNearest(m: EmbeddingMatrix, row: number, n: number): number[] {
  const q = row * m.dims;
  const sims: { id: number; sim: number }[] = [];
  for (let r = 0; r < m.trackIds.length; r++) {
    if (r === row) continue;
    let dot = 0;
    for (let j = 0; j < m.dims; j++) dot += m.data[r * m.dims + j]! * m.data[q + j]!;
    sims.push({ id: m.trackIds[r]!, sim: dot / (m.norms[r]! * m.norms[row]!) });
  }
  return sims
    .sort((a, b) => b.sim - a.sim || a.id - b.id)
    .slice(0, n)
    .map((s) => s.id);
}

const rnd = seeded(4);
const queries = Array.from({ length: QUERIES }, () => Math.floor(rnd() * SIMILAR_TRACKS));
nearest(simdMatrix, queries[0]!, 20); // warm-up (JIT)
nearest(jsMatrix, queries[0]!, 20);
const simdTimes: number[] = [];
const jsTimes: number[] = [];
const naiveTimes: number[] = [];
let differ = 0;
let jsDiffer = 0;
for (const q of queries) {
  const a = performance.now();
  const got = nearest(simdMatrix, q, 20);
  simdTimes.push(performance.now() - a);
  const c = performance.now();
  const js = nearest(jsMatrix, q, 20);
  jsTimes.push(performance.now() - c);
  const b = performance.now();
  const want = naiveNearest(jsMatrix, q, 20);
  naiveTimes.push(performance.now() - b);
  if (got.map((g) => g.trackId).join() !== want.join()) differ += 1;
  if (js.map((g) => g.trackId).join() !== want.join()) jsDiffer += 1;
}
const kernelName = store.kernel ? 'WebAssembly SIMD' : 'JavaScript (no SIMD here)';
section(
  `Similar tracks: ${SIMILAR_TRACKS} tracks, n = 20, ${QUERIES} queries (answers differing from the reference: ${differ} with ${kernelName}, ${jsDiffer} with the JavaScript loop; float32 sums may swap near-ties)`,
  [
    { benchmark: `query, median (${kernelName})`, betti: ms(quantile(simdTimes, 0.5)), reference: ms(quantile(naiveTimes, 0.5)), ratio: ratio(quantile(simdTimes, 0.5), quantile(naiveTimes, 0.5)) },
    { benchmark: `query, p95 (${kernelName})`, betti: ms(quantile(simdTimes, 0.95)), reference: ms(quantile(naiveTimes, 0.95)), ratio: ratio(quantile(simdTimes, 0.95), quantile(naiveTimes, 0.95)) },
    { benchmark: 'query, median (JavaScript loop, the fallback)', betti: ms(quantile(jsTimes, 0.5)), reference: ms(quantile(naiveTimes, 0.5)), ratio: ratio(quantile(jsTimes, 0.5), quantile(naiveTimes, 0.5)) },
    { benchmark: 'query, p95 (JavaScript loop, the fallback)', betti: ms(quantile(jsTimes, 0.95)), reference: ms(quantile(naiveTimes, 0.95)), ratio: ratio(quantile(jsTimes, 0.95), quantile(naiveTimes, 0.95)) },
    { benchmark: 'embedding matrix in memory', betti: `${((store.data.byteLength + norms.byteLength) / 2 ** 20).toFixed(0)} MiB`, reference: '', ratio: '' },
  ],
);

// --- loading the matrix --------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'betti-bench-personal-'));
try {
  const db = openLibraryDb(join(dir, 'library.db'));
  registerModel(db, { modelVersion: 'bench', specVersion: 's', architecture: 'pcnn', tags: [{ tag: 'x', category: 'c', threshold: 0.5 }] });
  const load = synthetic(LOAD_TRACKS, 5);
  db.transaction(() => {
    for (let i = 0; i < LOAD_TRACKS; i++) {
      const path = `/music/${i}.ogg`;
      const id = upsertTrack(db, { path, size: 1, mtimeMs: 1, fingerprint: `fp${i}`, container: 'ogg', audio: emptyAudio(), tags: emptyTags(), raw: { common: {}, native: {} }, warnings: [], error: null });
      const key = { contentKey: `fp${i}`, specVersion: 's', modelVersion: 'bench' };
      const one = Float32Array.of(0);
      putAnalysis(db, { ...key, backend: 'cpu', durationSec: 1, confidences: one, windowOffsets: one, windowDurations: one, windowProbabilities: one, embedding: load.x.slice(i * DIMS, (i + 1) * DIMS), timing: {} }, null);
      putQueueEntry(db, id, key, 'done');
    }
  });
  const tl = performance.now();
  const loaded = loadEmbeddingMatrix(db, 'bench');
  const loadMs = performance.now() - tl;
  const tr = performance.now();
  const blobs = db.all<{ e: Uint8Array }>('SELECT embedding AS e FROM analyses');
  const readMs = performance.now() - tr;
  db.close();
  section(`Loading the embedding matrix (${loaded.trackIds.length} tracks from a library database)`, [
    { benchmark: 'load (join queue + analyses, decode, norms)', betti: ms(loadMs), reference: `${ms(readMs)} (SELECT the ${blobs.length} BLOBs only)`, ratio: ratio(loadMs, readMs) },
    { benchmark: 'per 100,000 tracks (extrapolated)', betti: ms((loadMs * 100_000) / LOAD_TRACKS), reference: '', ratio: '' },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
