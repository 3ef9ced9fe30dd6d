// The rows of a long, server-sorted listing fetched a page at a time: which pages are loaded,
// which are on their way, and which to forget. The table asks for the rows it shows; a listing of
// 100,000 tracks never crosses the boundary at once, and memory stays bounded however far one
// scrolls (least recently used pages are evicted).

export class TrackPages<T> {
  readonly pageSize: number;
  readonly maxPages: number;
  readonly #pages = new Map<number, T[]>();
  readonly #loading = new Set<number>();

  constructor(pageSize = 100, maxPages = 60) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`page size ${pageSize} is not a positive integer`);
    this.pageSize = pageSize;
    this.maxPages = Math.max(2, maxPages);
  }

  /** The row at `index`, if its page is loaded. */
  get(index: number): T | undefined {
    const page = this.#pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  /** Pages that hold rows start … end (inclusive) and are neither loaded nor loading. */
  missing(start: number, end: number, total: number): number[] {
    if (total <= 0 || end < start) return [];
    const last = Math.min(end, total - 1);
    const out: number[] = [];
    for (let p = Math.floor(Math.max(0, start) / this.pageSize); p <= Math.floor(last / this.pageSize); p++) {
      if (!this.#pages.has(p) && !this.#loading.has(p)) out.push(p);
    }
    return out;
  }

  markLoading(page: number): void {
    this.#loading.add(page);
  }

  /** Stores a page; pages far from it are forgotten beyond maxPages (oldest first). */
  store(page: number, rows: T[]): void {
    this.#loading.delete(page);
    this.#pages.delete(page); // re-insert: Map order is recency
    this.#pages.set(page, rows);
    while (this.#pages.size > this.maxPages) {
      const oldest = this.#pages.keys().next().value as number;
      this.#pages.delete(oldest);
    }
  }

  /** Marks a page as used now, so eviction keeps it. */
  touch(page: number): void {
    const rows = this.#pages.get(page);
    if (rows) {
      this.#pages.delete(page);
      this.#pages.set(page, rows);
    }
  }

  /** A fetch failed: the page may be asked for again. */
  failed(page: number): void {
    this.#loading.delete(page);
  }

  /** Every loaded row with its index (for finding a track by id). */
  *entries(): Generator<[number, T]> {
    for (const [p, rows] of this.#pages) for (let i = 0; i < rows.length; i++) yield [p * this.pageSize + i, rows[i]!];
  }

  get loadedPages(): number {
    return this.#pages.size;
  }

  clear(): void {
    this.#pages.clear();
    this.#loading.clear();
  }
}
