// The read pool's queue of files not yet sent to a worker, grouped by kind (the file's
// extension), each kind read by one worker where it can be.
//
// Why: V8 optimises a parser for the shapes of data it has seen. A worker handed MP3, FLAC, Ogg,
// Opus and M4A files in turn keeps the token readers they share polymorphic, and reaches its
// optimised speed only after some 3,500 files; one that reads a format at a time gets there within
// a few hundred files of each. One thread reading 5,000 mixed one-second files, the first time
// through: 350–370 µs a file interleaved, 220–285 µs grouped by format. A cold scan of 5,000 such
// files with two workers (the CLI, medians of 8 interleaved runs): 1.56 → 1.28 s.
import { basename } from 'node:path';
import { fileExtension } from './audio-files.ts';
import type { ReadJob } from './read-pool-protocol.ts';

/** The kind of file a job is: its extension, lower-cased ('' for none). */
export function readKind(path: string): string {
  return fileExtension(basename(path));
}

class KindQueue<W> {
  readonly jobs: ReadJob[] = [];
  head = 0; // jobs[head…] are waiting
  owner: W | undefined;

  get waiting(): number {
    return this.jobs.length - this.head;
  }

  take(n: number): ReadJob[] {
    const out = this.jobs.slice(this.head, this.head + n);
    this.head += out.length;
    if (this.head === this.jobs.length) {
      this.jobs.length = 0;
      this.head = 0;
    }
    return out;
  }
}

export class GroupedReadQueue<W> {
  readonly #byKind = new Map<string, KindQueue<W>>();
  #waiting = 0;
  #added = 0;
  #addedBytes = 0;

  /** Files waiting to be sent. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Files ever added. */
  get added(): number {
    return this.#added;
  }

  /** Bytes of the files ever added (their sizes as the walk found them). */
  get addedBytes(): number {
    return this.#addedBytes;
  }

  add(job: ReadJob): void {
    const kind = readKind(job.path);
    let q = this.#byKind.get(kind);
    if (!q) {
      q = new KindQueue<W>();
      this.#byKind.set(kind, q);
    }
    q.jobs.push(job);
    this.#waiting += 1;
    this.#added += 1;
    this.#addedBytes += job.size;
  }

  /**
   * Up to `size` files of one kind for `worker`, or undefined when there is no batch for it yet:
   * from the kinds it reads (the one with most waiting), else from a kind no worker reads yet
   * (which becomes its own), else from another worker's kind, so no worker idles while files
   * wait. Only full batches, unless `partial` (no more files will come).
   */
  take(worker: W, size: number, partial: boolean): ReadJob[] | undefined {
    const enough = (q: KindQueue<W>) => q.waiting >= size || (partial && q.waiting > 0);
    let own: KindQueue<W> | undefined;
    let free: KindQueue<W> | undefined;
    let other: KindQueue<W> | undefined;
    for (const q of this.#byKind.values()) {
      if (!enough(q)) continue;
      if (q.owner === worker) {
        if (!own || q.waiting > own.waiting) own = q;
      } else if (q.owner === undefined) {
        if (!free || q.waiting > free.waiting) free = q;
      } else if (!other || q.waiting > other.waiting) {
        other = q;
      }
    }
    const q = own ?? free ?? other;
    if (!q) return undefined;
    if (q === free) q.owner = worker;
    const batch = q.take(size);
    this.#waiting -= batch.length;
    return batch;
  }

  /** The next waiting file of any kind (for reporting what is left when the workers cannot run). */
  takeOne(): ReadJob | undefined {
    for (const q of this.#byKind.values()) {
      if (q.waiting === 0) continue;
      this.#waiting -= 1;
      return q.take(1)[0];
    }
    return undefined;
  }

  /** The worker is gone: its kinds go to whichever worker takes them next. */
  release(worker: W): void {
    for (const q of this.#byKind.values()) if (q.owner === worker) q.owner = undefined;
  }
}
