// The incremental scan: walk the folders, read only what is new or changed, recognise moved files
// by their audio fingerprint, and mark files that are gone as missing (their rows, and what is
// keyed to their fingerprint, stay).
//
// Speed: files are classified as the walk finds them, and read workers start (and read) while the
// walk goes on; records come back encoded as table columns and are written in batches. A scan that
// adds many rows builds the sort and search indexes once at the end (db/queries/
// deferred-track-indexes.ts). Unchanged files cost one stat each: the library's (path, size,
// mtime) under the roots is loaded once, before the walk. (Unchanged files are read again only
// when reading failed before, or when an older Betti wrote their rows: track.ts READER_VERSION.)
//
// Interruption safety: results are written in small transactions as they come, and nothing is
// marked missing until the walk and every read have finished. A scan killed at any point leaves
// only whole, correct rows (and deferred indexes that the next open restores); the next scan finds
// the rest as new.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, resolve, sep } from 'node:path';
import { BettiError, type ErrorKind } from '../api/errors.ts';
import type { ScanFileError, ScanProgress, ScanSummary } from '../api/schemas/library.ts';
import type { LibraryDb } from './db/open.ts';
import {
  encodeTrack,
  findTracksByFingerprintOutside,
  fingerprintsOf,
  knownFileAt,
  knownFilesUnder,
  markTrackPresent,
  markTracksMissing,
  moveTrack,
  trackCount,
  trackIdsWithErrors,
  upsertTrack,
  type EncodedTrack,
  type KnownFile,
} from './db/queries/tracks.ts';
import { startReadPool, type ReadPool, type ReadPoolOptions } from './read-pool.ts';
import { deferTrackIndexes, restoreTrackIndexes } from './db/queries/deferred-track-indexes.ts';
import { readTrackFile } from './read-track.ts';
import { failedTrackRecord, READER_VERSION, type TrackRecord } from './track.ts';
import { walkAudioFiles, type FoundFile, type WalkOptions } from './walk.ts';

// What a scan reports is part of the contract: its types are the API schema's (api/schemas/library.ts).
export type { ScanFileError, ScanProgress, ScanSummary };

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Worker threads that read files (default: every core up to two cores, else cores − 1); 0 reads on the calling thread. */
  workers?: number;
  /** The read workers' script (default: library/read-worker-entry.js; the desktop app passes its bundle). */
  readWorker?: URL;
  /** Files to read from which worker threads are started (default 500; below it the calling thread reads them). */
  poolFromFiles?: number;
  /** Files read at once on the calling thread when no workers are used (their I/O overlaps). */
  concurrency?: number;
  /** Most rows per transaction. */
  batchSize?: number;
  /** Least time between two progress reports (default 100 ms); the last one always comes. */
  progressEveryMs?: number;
  /**
   * Rows to write from which the library's sort and search indexes are built once at the end
   * instead of row by row (default 1000; also needs a third as many rows as the library holds).
   */
  bulkFromRows?: number;
}

interface ReadItem {
  file: FoundFile;
  known: KnownFile | undefined;
}

const PROGRESS_EVERY_MS = 100;
/**
 * Below this many files to read, starting worker threads costs more than it saves: the calling
 * thread reads them sooner than the workers have started and warmed up (about a quarter of a
 * second on two cores). Measured on two cores, cold scans of N files, calling thread vs two
 * workers: one-second files, 100: 0.19–0.25 vs 0.28–0.30 s, 400: 0.38–0.45 vs 0.41 s, 800: 0.65–0.70
 * vs 0.57 s; three-minute files (MP3, M4A, Ogg, Opus, FLAC), 100: 0.29 vs 0.47 s, 400: 0.68 vs
 * 0.83 s, 800: 1.16–1.44 vs 1.21–1.27 s. Adding an album or a few and scanning again is the common case.
 */
const POOL_MIN_FILES = 500;
const FLUSH_EVERY_MS = 500;
/** Files read while the walk goes on, at most: their records are kept in memory until it ends. */
const WALK_READ_AHEAD = 4000;
/** A scan writing at least this many rows, and at least a third as many as the library holds, defers the indexes. */
const BULK_MIN_ROWS = 1000;
const BULK_LIBRARY_FRACTION = 3;

/** Absolute, deduplicated roots; a folder inside another root is dropped (the outer walk covers it). */
function normaliseRoots(folders: readonly string[]): string[] {
  const abs = [...new Set(folders.map((f) => resolve(f).replace(/[/\\]+$/, '') || sep))].sort();
  return abs.filter((r) => !abs.some((o) => o !== r && r.startsWith(o.endsWith(sep) ? o : o + sep)));
}

export async function scanFolders(db: LibraryDb, folders: readonly string[], opts: ScanOptions = {}): Promise<ScanSummary> {
  const t0 = performance.now();
  const roots = normaliseRoots(folders);
  for (const r of roots) {
    if (!existsSync(r)) {
      throw new BettiError('not-found', `${r}: no such folder or file; nothing was scanned`, {
        path: r,
        hint: 'Check the path (and that its drive is mounted), then scan again.',
      });
    }
  }
  const summary: ScanSummary = { scanned: 0, new: 0, changed: 0, moved: 0, missing: 0, errors: 0, unchanged: 0, refreshed: 0, durationMs: 0, cancelled: false, errorFiles: [] };
  const fail = (path: string, kind: ErrorKind, message: string) => {
    summary.errors += 1;
    summary.errorFiles.push({ path, kind, message });
  };

  let lastProgress = 0;
  const progress = (p: ScanProgress, force = false) => {
    const now = performance.now();
    if (!opts.onProgress || (!force && now - lastProgress < (opts.progressEveryMs ?? PROGRESS_EVERY_MS))) return;
    lastProgress = now;
    opts.onProgress(p);
  };

  // 1. What the library knows under these roots, so each file is classified as the walk finds it.
  const known = knownFilesUnder(db, roots, sep);
  for (const r of roots) {
    if (known.has(r)) continue;
    const single = knownFileAt(db, r); // a root that is one file
    if (single) known.set(r, single);
  }
  // Ids of the known rows whose files this scan found; the others are missing at the end. A set of
  // numbers, not a copy of `known` emptied as the walk goes: a rescan of an unchanged library does
  // little else per file.
  const found = new Set<number>();
  const knownWithErrors = new Set(trackIdsWithErrors(db));
  const toRead: ReadItem[] = [];
  const unchangedBack: number[] = [];
  /** Rows read again though their files are unchanged: they are counted as unchanged. */
  const rereadUnchanged = new Set<number>();

  // Records are written in batches, but only once the walk is over: whether a new file is a moved
  // one depends on which known files the walk did not find.
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  let pending: [ReadItem, EncodedTrack][] = [];
  let walkDone = false;
  let lastFlush = performance.now();
  const flush = () => {
    if (pending.length === 0 || !walkDone) return;
    const batch = pending;
    pending = [];
    db.transaction(() => {
      for (const [item, record] of batch) apply(item, record);
    });
    lastFlush = performance.now();
  };
  let done = 0;
  const collect = (item: ReadItem, record: EncodedTrack) => {
    pending.push([item, record]);
    done += 1;
    if (!walkDone) return;
    if (pending.length >= batchSize || performance.now() - lastFlush > FLUSH_EVERY_MS) flush();
    progress({ done, total: toRead.length, path: item.file.path, phase: 'read' }, done === toRead.length);
  };

  // 2. Walk, handing what is new or changed to the read pool as soon as there is enough of it to
  // be worth the workers' start-up: they start, and read, while the walk goes on.
  const workers = opts.workers ?? defaultReadWorkers();
  const poolFromFiles = Math.max(1, opts.poolFromFiles ?? POOL_MIN_FILES);
  let pool: ReadPool | undefined;
  const byPath = new Map<string, ReadItem>();
  let pooled = 0; // toRead[0…pooled) are in the pool
  const feedPool = (upTo: number) => {
    for (; pooled < upTo; pooled++) {
      const item = toRead[pooled]!;
      byPath.set(item.file.path, item);
      pool!.add(item.file);
    }
  };
  const queueRead = (item: ReadItem) => {
    toRead.push(item);
    if (!pool && workers > 0 && toRead.length >= poolFromFiles) {
      const poolOpts: ReadPoolOptions = { workers };
      if (opts.signal) poolOpts.signal = opts.signal;
      if (opts.readWorker) poolOpts.script = opts.readWorker;
      pool = startReadPool(poolOpts, (job, record) => collect(byPath.get(job.path)!, record));
    }
    // Records wait in memory until the walk ends, so a long walk reads only so far ahead.
    if (pool) feedPool(Math.min(toRead.length, WALK_READ_AHEAD));
  };
  const classify = (f: FoundFile) => {
    const k = known.get(f.path);
    if (k) found.add(k.id);
    if (k && k.size === f.size && k.mtimeMs === f.mtimeMs) {
      if (k.missing) unchangedBack.push(k.id);
      // A file that failed before is read again even when unchanged: permissions may have been
      // fixed (chmod leaves the mtime alone), and the summary must show errors that persist. So
      // is one whose row an older Betti wrote: this one may read more from it (track.ts).
      if (knownWithErrors.has(k.id) || k.readerVersion < READER_VERSION) {
        rereadUnchanged.add(k.id);
        queueRead({ file: f, known: k });
      } else {
        summary.unchanged += 1;
      }
    } else {
      queueRead({ file: f, known: k });
    }
  };

  const walkOpts: WalkOptions = { onFound: (n, folder) => progress({ done: n, total: 0, path: folder, phase: 'walk' }) };
  if (opts.signal) walkOpts.signal = opts.signal;
  let walk: Awaited<ReturnType<typeof walkAudioFiles>>;
  try {
    walk = await walkAudioFiles(roots, classify, walkOpts);
  } catch (err) {
    pool?.stop();
    throw err;
  }
  progress({ done: walk.found, total: 0, path: '', phase: 'walk' }, true);
  for (const issue of walk.issues) fail(issue.path, 'io', issue.message);
  const unlistable = walk.issues.filter((i) => i.folder).map((i) => i.path + sep);
  for (const f of walk.badNames) {
    const k = known.get(f.path);
    if (k) found.add(k.id);
    const message = `${f.path}: the file name is not valid UTF-8, so Betti cannot open it by name; rename it (for example with \`convmv\`) and scan again`;
    fail(f.path, 'io', message);
    const record = badNameRecord(f, message);
    db.transaction(() => upsertTrack(db, record));
    if (k) summary.unchanged += 1;
    else summary.new += 1;
  }
  summary.scanned = walk.found + walk.badNames.length;
  if (unchangedBack.length > 0) db.transaction(() => unchangedBack.forEach((id) => markTrackPresent(db, id)));

  // 3. Write what is read. Where a moved file can come from: a known file under the roots that was
  // not found (or was already missing), or a row outside the roots whose file is gone.
  const claimed = new Set<number>(); // rows already re-pointed by a move in this scan
  const goneByFingerprint = new Map<string, KnownFile[]>();
  const addGone = (k: KnownFile, fingerprint: string | undefined) => {
    if (!fingerprint) return;
    const list = goneByFingerprint.get(fingerprint);
    if (list) list.push(k);
    else goneByFingerprint.set(fingerprint, [k]);
  };
  const goneAfterWalk = [...known.values()].filter((k) => k.missing || !found.has(k.id));
  const goneFingerprints = fingerprintsOf(db, goneAfterWalk.map((k) => k.id)); // usually none: only gone rows can be a move's source
  for (const k of goneAfterWalk) addGone(k, goneFingerprints.get(k.id));
  const tracksBefore = trackCount(db);
  const tracksOutsideRoots = tracksBefore > known.size;
  const moveSources = (fingerprint: string): { id: number; path: string }[] => {
    const inside = (goneByFingerprint.get(fingerprint) ?? []).filter((k) => !claimed.has(k.id) && (k.missing || !found.has(k.id)));
    if (!tracksOutsideRoots) return inside;
    const outside = findTracksByFingerprintOutside(db, fingerprint, roots, sep).filter((c) => !claimed.has(c.id) && (c.missing || !existsSync(c.path)));
    return [...inside, ...outside];
  };

  const apply = (item: ReadItem, record: EncodedTrack) => {
    if (record.error?.code === 'ENOENT') {
      // Deleted between the walk and the read: an error now, and missing if it was known.
      fail(record.path, record.error.kind, record.error.message);
      if (item.known) {
        found.delete(item.known.id);
        addGone(item.known, fingerprintsOf(db, [item.known.id]).get(item.known.id));
      }
      return;
    }
    if (record.error) fail(record.path, record.error.kind, record.error.message);
    if (item.known) {
      upsertTrack(db, record);
      if (!rereadUnchanged.has(item.known.id)) {
        summary.changed += 1;
      } else {
        summary.unchanged += 1;
        if (!knownWithErrors.has(item.known.id)) summary.refreshed += 1; // read again for this version alone
      }
      return;
    }
    if (record.fingerprint) {
      const candidates = moveSources(record.fingerprint);
      // Two identical files moved at once: keep each row with the file of the same name.
      const name = basename(record.path);
      const from = candidates.find((c) => basename(c.path) === name) ?? candidates[0];
      if (from) {
        moveTrack(db, from.id, record);
        claimed.add(from.id);
        found.add(from.id);
        summary.moved += 1;
        return;
      }
    }
    upsertTrack(db, record);
    summary.new += 1;
  };
  // Many rows to write, next to what the library holds: build its sort and search indexes once
  // at the end rather than row by row (see db/queries/deferred-track-indexes.ts).
  const bulk = toRead.length >= (opts.bulkFromRows ?? BULK_MIN_ROWS) && toRead.length * BULK_LIBRARY_FRACTION >= tracksBefore;
  if (bulk) deferTrackIndexes(db);
  try {
    walkDone = true;
    flush(); // what the workers read during the walk
    if (toRead.length > 0) progress({ done, total: toRead.length, path: '', phase: 'read' }, done === toRead.length);

    if (pool) {
      feedPool(toRead.length);
      await pool.finish();
    } else {
      // Records are taken in the walk's (sorted) order whatever order their reads end in, so an
      // inline scan gives its rows the same ids every time (they break ties in sorted lists).
      let next = 0;
      let taken = 0;
      const read = new Map<number, EncodedTrack>();
      const reader = async () => {
        while (next < toRead.length && !opts.signal?.aborted) {
          const i = next++;
          read.set(i, encodeTrack(await readTrackFile(toRead[i]!.file.path, { stat: toRead[i]!.file })));
          for (let r = read.get(taken); r !== undefined; r = read.get(taken)) {
            read.delete(taken);
            collect(toRead[taken++]!, r);
          }
        }
      };
      const concurrency = Math.max(1, opts.concurrency ?? 8);
      await Promise.all(Array.from({ length: Math.min(concurrency, toRead.length) }, reader));
    }
    flush();

    // 4. What was not found is missing, unless the scan stopped early or the folder could not be listed.
    summary.cancelled = opts.signal?.aborted === true;
    if (!summary.cancelled) {
      const gone = [...known.values()].filter((k) => !found.has(k.id) && !k.missing && !claimed.has(k.id) && !unlistable.some((d) => k.path.startsWith(d)));
      if (gone.length > 0) db.transaction(() => markTracksMissing(db, gone.map((k) => k.id)));
      summary.missing = gone.length;
    }
    progress({ done: toRead.length, total: toRead.length, path: '', phase: 'finish' }, true);
  } catch (err) {
    pool?.stop(); // its workers would otherwise keep the process alive
    throw err;
  } finally {
    if (bulk) restoreTrackIndexes(db);
  }
  summary.durationMs = Math.round(performance.now() - t0);
  return summary;
}

/**
 * Read workers by default. The calling thread only walks and writes rows, a small part of a file's
 * cost, so on a machine with one or two cores every core reads; with more, one core is left to the
 * caller (and to the rest of the app). Measured on two cores (bench/scan, 5,000 files, nine cold
 * scans each, interleaved): two workers 1.02 s and 2.04 s of CPU, one worker 1.09 s and 1.67 s;
 * on the same machine under other load, the two took the same time. Each worker pays its own
 * start-up and JIT warm-up, hence the CPU; the wall-clock time is what a person waits for.
 */
function defaultReadWorkers(): number {
  const cores = availableParallelism();
  return cores <= 2 ? cores : cores - 1;
}

function badNameRecord(f: FoundFile, message: string): TrackRecord {
  return failedTrackRecord(f, { kind: 'io', message });
}
