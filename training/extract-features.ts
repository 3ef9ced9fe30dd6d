// Computes the input features (log-mel and log-chroma per frame) of every clip in ../shared/data
// with Betti's own signal path (src-main/audio/decode.ts -> src-main/features/input-features.ts),
// so training sees exactly what the app computes at inference. Two worker threads (the build machines have two cores).
//
// Cache: training/.cache/features/<FEATURE_SPEC.version>-<manifest sha256, 16 hex>/
//   features.f32  every clip's input features, float32 little-endian, frames x bands row-major, clips
//                 one after another (in completion order; the index says where each one is)
//   index.json    {specVersion, manifestHash, bands, clips: [{path, frames, offset}]} in manifest
//                 order; offset counts float32 values. Written last: its presence means complete.
// A different spec version or manifest gives a different folder, so nothing stale is reused.
//
// Usage: node training/extract-features.ts [--data DIR] [--cache DIR] [--limit N] [--workers N]
// Prints the cache folder on the last line of stdout.
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FEATURE_SPEC, INPUT_BANDS } from '../src-main/features/spec.ts';
import { readManifest } from './manifest.ts';

interface Job {
  index: number;
  file: string;
}
interface Done {
  index: number;
  frames: number;
  data: Float32Array;
}
interface Failed {
  index: number;
  error: string;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

async function workerMain(): Promise<void> {
  const { decodeMono16k } = await import('../src-main/audio/decode.ts');
  const { inputFeatures } = await import('../src-main/features/input-features.ts');
  const jobs = (workerData as { jobs: Job[] }).jobs;
  for (const job of jobs) {
    try {
      const audio = await decodeMono16k(job.file);
      const mel = inputFeatures(audio.samples);
      const msg: Done = { index: job.index, frames: mel.frames, data: mel.data };
      parentPort!.postMessage(msg, [mel.data.buffer as ArrayBuffer]);
    } catch (err) {
      const msg: Failed = { index: job.index, error: err instanceof Error ? err.message : String(err) };
      parentPort!.postMessage(msg);
    }
  }
}

export function cacheDirFor(cacheRoot: string, manifestHash: string, limit?: number): string {
  const key = limit === undefined ? manifestHash.slice(0, 16) : `${manifestHash.slice(0, 8)}-limit${limit}`;
  return join(cacheRoot, 'features', `${FEATURE_SPEC.version}-${key}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(REPO, '..', 'shared', 'data') },
      cache: { type: 'string', default: join(REPO, 'training', '.cache') },
      limit: { type: 'string' },
      workers: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    },
  });
  const dataDir = resolve(values.data);
  const { rows: allRows, hash: fullHash } = readManifest(dataDir);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit must be a positive integer, got ${values.limit}`);
  const workers = Number(values.workers);
  if (!(Number.isInteger(workers) && workers > 0)) throw new Error(`--workers must be a positive integer, got ${values.workers}`);
  // A limited run (tests, --quick) keeps every split: the first `limit` rows of each.
  const rows = limit === undefined ? allRows : (['train', 'valid', 'test'] as const).flatMap((s) => allRows.filter((r) => r.split === s).slice(0, limit));
  const dir = cacheDirFor(resolve(values.cache), fullHash, limit);
  if (existsSync(join(dir, 'index.json'))) {
    console.log(`features: cached (${rows.length} clips)`);
    console.log(dir);
    return;
  }
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const partial = join(dir, 'features.f32.partial');
  const out = createWriteStream(partial);
  const frames = new Array<number>(rows.length).fill(-1);
  const offsets = new Array<number>(rows.length).fill(-1);
  let offset = 0;
  let done = 0;
  const failures: string[] = [];
  const jobs: Job[] = rows.map((r, index) => ({ index, file: join(dataDir, r.path) }));
  const shards = Array.from({ length: workers }, (_, w) => jobs.filter((_, i) => i % workers === w));
  await Promise.all(
    shards.map(
      (shard) =>
        new Promise<void>((res, rej) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { jobs: shard } });
          worker.on('message', (msg: Done | Failed) => {
            done++;
            if ('error' in msg) failures.push(`${rows[msg.index]!.path}: ${msg.error}`);
            else {
              frames[msg.index] = msg.frames;
              offsets[msg.index] = offset;
              offset += msg.data.length;
              out.write(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength));
            }
            if (done % 100 === 0 || done === rows.length) process.stderr.write(`features: ${done}/${rows.length} clips, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
          });
          worker.on('error', rej);
          worker.on('exit', (code) => (code === 0 ? res() : rej(new Error(`feature worker exited with code ${code}`))));
        }),
    ),
  );
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  if (failures.length > 0) {
    throw new Error(`${failures.length} clip(s) could not be decoded:\n  ${failures.slice(0, 10).join('\n  ')}\nFix or remove them from the manifest, then run again.`);
  }
  renameSync(partial, join(dir, 'features.f32'));
  const index = {
    specVersion: FEATURE_SPEC.version,
    manifestHash: fullHash,
    limit: limit ?? null,
    bands: INPUT_BANDS,
    seconds: (Date.now() - started) / 1000,
    clips: rows.map((r, i) => ({ path: r.path, frames: frames[i]!, offset: offsets[i]! })),
  };
  writeFileSync(join(dir, 'index.json.partial'), JSON.stringify(index));
  renameSync(join(dir, 'index.json.partial'), join(dir, 'index.json'));
  console.log(`features: ${rows.length} clips in ${index.seconds.toFixed(0)} s`);
  console.log(dir);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
} else {
  await workerMain();
}
