// The library table's state: the query (sort, filters, search), the rows fetched page by page
// for what is on screen, each visible track's status (analysis, suggestions to review), the
// current track (the inspector's) and the selection (what batch actions apply to).
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { BettiApi, ResponseOf } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';
import { TrackPages } from './track-pages.ts';
import type { FormatName, ListRequest, TrackRow, TrackSort } from './types.ts';

export type TrackStatus = ResponseOf<'inspector.status'>['tracks'][number];

/** Search typing settles this long before the listing is asked again. */
export const SEARCH_DEBOUNCE_MS = 200;

/** Pages fetched ahead of the rows on screen, in the direction of the scroll. */
export const PREFETCH_PAGES = 2;

export type Api = Pick<BettiApi, 'library.list' | 'inspector.status'>;

export class LibraryState {
  readonly #api: Api;
  readonly #pages: TrackPages<TrackRow>;

  sort = $state<TrackSort>('artist');
  descending = $state(false);
  /** The search box's text (the listing follows it after a short pause). */
  search = $state('');
  formats = $state<FormatName[]>([]);
  hasErrors = $state<boolean | undefined>(undefined);
  missing = $state<boolean | undefined>(undefined);
  /** Analysed for the audio the file has now (true), not (false), or either. */
  analysed = $state<boolean | undefined>(undefined);
  /** With suggestions waiting for review (true), without (false), or either. */
  hasSuggestions = $state<boolean | undefined>(undefined);
  /** The tag box's text: a genre or mood in the file, or a pending or accepted suggestion (follows after a pause, as search does). */
  tag = $state('');

  /** Tracks matching the query; null until the first answer. */
  total = $state<number | null>(null);
  /** Tracks in the whole library (no filters); null until known. */
  libraryTotal = $state<number | null>(null);
  error = $state.raw<ErrorText | null>(null);
  /**
   * Per page: bumped when its rows or statuses arrive. A row reads only its own page's counter, so
   * a page arriving while one scrolls re-renders that page's rows, not every row on screen.
   */
  readonly #pageVersions = new SvelteMap<number, number>();
  #generation = 0;
  /**
   * The query the loaded rows answer, taken at reload(). Pages fetched later use it, not the live
   * fields: the search or tag box changes at once but the listing only after a pause, and a page
   * of the new query stored into the old listing would mix the two (and set its total).
   */
  #listing: Omit<ListRequest, 'offset' | 'limit'> = { sort: 'artist', descending: false };
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #tagTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #statuses = new Map<number, TrackStatus>();

  /** The inspector's track. */
  currentId = $state<number | null>(null);
  /** Its index in the current ordering (null when it is not in the listing). */
  currentIndex = $state<number | null>(null);
  /** Tracks batch actions apply to. */
  readonly selection = new SvelteSet<number>();
  #anchor: number | null = null;
  /** The rows the table shows (the last ensure()). */
  #visible = { start: 0, end: -1 };
  /** An index a move asked for before its row was fetched. */
  #wanted: number | null = null;

  constructor(api: Api, opts: { pageSize?: number } = {}) {
    this.#api = api;
    this.#pages = new TrackPages<TrackRow>(opts.pageSize ?? 100);
  }

  get pageSize(): number {
    return this.#pages.pageSize;
  }

  /** Whether any filter or search narrows the listing. */
  get filtered(): boolean {
    return (
      this.search.trim() !== '' ||
      this.tag.trim() !== '' ||
      this.formats.length > 0 ||
      this.hasErrors !== undefined ||
      this.missing !== undefined ||
      this.analysed !== undefined ||
      this.hasSuggestions !== undefined
    );
  }

  /** The listing request without paging. */
  query(): Omit<ListRequest, 'offset' | 'limit'> {
    const q: Omit<ListRequest, 'offset' | 'limit'> = { sort: this.sort, descending: this.descending };
    const search = this.search.trim();
    if (search !== '') q.search = search;
    if (this.formats.length > 0) q.formats = [...this.formats];
    if (this.hasErrors !== undefined) q.hasErrors = this.hasErrors;
    if (this.missing !== undefined) q.missing = this.missing;
    if (this.analysed !== undefined) q.analysed = this.analysed;
    if (this.hasSuggestions !== undefined) q.hasSuggestions = this.hasSuggestions;
    const tag = this.tag.trim();
    if (tag !== '') q.tag = tag;
    return q;
  }

  #bump(page: number): void {
    this.#pageVersions.set(page, (this.#pageVersions.get(page) ?? 0) + 1);
  }

  #pageOf(index: number): number {
    return Math.floor(index / this.#pages.pageSize);
  }

  /** The row at `index` of the listing, if fetched (reactive). */
  row(index: number): TrackRow | undefined {
    void this.#pageVersions.get(this.#pageOf(index));
    return this.#pages.get(index);
  }

  /** The status of the track at `index`, if fetched (reactive). */
  statusAt(index: number): TrackStatus | undefined {
    void this.#pageVersions.get(this.#pageOf(index));
    const row = this.#pages.get(index);
    return row && this.#statuses.get(row.id);
  }

  /** Forgets every row and asks for the first page again (after a query change, a scan, a write). */
  async reload(): Promise<void> {
    this.#generation++;
    this.#listing = this.query();
    this.#wanted = null;
    this.#pages.clear();
    this.#statuses.clear();
    this.#pageVersions.clear();
    await this.#fetch(0, this.#generation);
  }

  /**
   * Makes sure rows start … end are (being) fetched; the table calls it with the rows on screen.
   * The pages just beyond them are asked for too, most in the direction of the scroll: a page
   * arrives (and its rows render) before it scrolls into view, never in the frame that shows it
   * with placeholders first and again a moment later with its rows.
   */
  ensure(start: number, end: number): void {
    const down = start >= this.#visible.start;
    this.#visible = { start, end };
    const total = this.total;
    if (total === null) return;
    const size = this.#pages.pageSize;
    const wanted = this.#pages.missing(start, end, total);
    const ahead = down ? this.#pages.missing(end + 1, end + PREFETCH_PAGES * size, total) : this.#pages.missing(start - PREFETCH_PAGES * size, start - 1, total).reverse();
    const behind = down ? this.#pages.missing(start - size, start - 1, total) : this.#pages.missing(end + 1, end + size, total);
    for (const page of new Set([...wanted, ...ahead, ...behind])) void this.#fetch(page, this.#generation);
  }

  async #fetch(page: number, generation: number): Promise<void> {
    this.#pages.markLoading(page);
    try {
      const res = await this.#api['library.list']({ ...this.#listing, offset: page * this.#pages.pageSize, limit: this.#pages.pageSize });
      if (generation !== this.#generation) return;
      this.#pages.store(page, res.tracks);
      this.total = res.total;
      if (Object.keys(this.#listing).every((k) => k === 'sort' || k === 'descending')) this.libraryTotal = res.total;
      this.error = null;
      this.#locateCurrent(page, res.tracks);
      this.#bump(page);
      if (res.tracks.length > 0) await this.#fetchStatuses(page, generation);
    } catch (err) {
      if (generation !== this.#generation) return;
      this.#pages.failed(page);
      this.error = errorText(err);
    }
  }

  /** Fetches the statuses of a loaded page's tracks. */
  async #fetchStatuses(page: number, generation: number): Promise<void> {
    const ids: number[] = [];
    for (let i = page * this.#pages.pageSize; i < (page + 1) * this.#pages.pageSize; i++) {
      const row = this.#pages.get(i);
      if (row) ids.push(row.id);
    }
    if (ids.length === 0) return;
    const res = await this.#api['inspector.status']({ trackIds: ids });
    if (generation !== this.#generation) return;
    for (const s of res.tracks) this.#statuses.set(s.trackId, s);
    this.#bump(page);
  }

  /** Fetches the statuses of the rows on screen again (analysis or review changed them). */
  refreshVisibleStatuses(): Promise<void> {
    return this.refreshStatuses(this.#visible.start, this.#visible.end);
  }

  /** Fetches the statuses of the pages holding rows start … end again. */
  async refreshStatuses(start: number, end: number): Promise<void> {
    if (end < start) return;
    for (let p = this.#pageOf(Math.max(0, start)); p <= this.#pageOf(end); p++) await this.#fetchStatuses(p, this.#generation);
  }

  /** After a page arrives: the row a move asked for becomes current; or the current track finds its new index. */
  #locateCurrent(page: number, rows: TrackRow[]): void {
    const first = page * this.#pages.pageSize;
    if (this.#wanted !== null) {
      const row = rows[this.#wanted - first];
      if (row) {
        this.currentId = row.id;
        this.#wanted = null;
      }
      return;
    }
    if (this.currentId === null || this.currentIndex !== null) return;
    const i = rows.findIndex((r) => r.id === this.currentId);
    if (i >= 0) this.currentIndex = first + i;
  }

  /** Sorts by a column; the same column again flips the direction. */
  setSort(sort: TrackSort): Promise<void> {
    if (this.sort === sort) this.descending = !this.descending;
    else {
      this.sort = sort;
      this.descending = false;
    }
    this.currentIndex = null;
    return this.reload();
  }

  /** Sets the search text; the listing follows after SEARCH_DEBOUNCE_MS. */
  setSearch(text: string): void {
    this.search = text;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => {
      this.currentIndex = null;
      void this.reload();
    }, SEARCH_DEBOUNCE_MS);
  }

  toggleFormat(format: FormatName): Promise<void> {
    this.formats = this.formats.includes(format) ? this.formats.filter((f) => f !== format) : [...this.formats, format];
    this.currentIndex = null;
    return this.reload();
  }

  setHasErrors(value: boolean | undefined): Promise<void> {
    this.hasErrors = value;
    this.currentIndex = null;
    return this.reload();
  }

  setMissing(value: boolean | undefined): Promise<void> {
    this.missing = value;
    this.currentIndex = null;
    return this.reload();
  }

  setAnalysed(value: boolean | undefined): Promise<void> {
    this.analysed = value;
    this.currentIndex = null;
    return this.reload();
  }

  setHasSuggestions(value: boolean | undefined): Promise<void> {
    this.hasSuggestions = value;
    this.currentIndex = null;
    return this.reload();
  }

  /** Sets the tag to filter by; the listing follows after SEARCH_DEBOUNCE_MS. */
  setTag(text: string): void {
    this.tag = text;
    clearTimeout(this.#tagTimer);
    this.#tagTimer = setTimeout(() => {
      this.currentIndex = null;
      void this.reload();
    }, SEARCH_DEBOUNCE_MS);
  }

  clearFilters(): Promise<void> {
    clearTimeout(this.#searchTimer);
    clearTimeout(this.#tagTimer);
    this.search = '';
    this.tag = '';
    this.analysed = undefined;
    this.hasSuggestions = undefined;
    this.formats = [];
    this.hasErrors = undefined;
    this.missing = undefined;
    this.currentIndex = null;
    return this.reload();
  }

  /** Makes the row at `index` current (the inspector shows it). */
  setCurrent(index: number): void {
    const total = this.total ?? 0;
    if (total === 0) return;
    const i = Math.max(0, Math.min(total - 1, index));
    this.currentIndex = i;
    const row = this.#pages.get(i);
    if (row) {
      this.currentId = row.id;
      this.#wanted = null;
    } else {
      this.#wanted = i;
      this.ensure(i, i);
    }
  }

  /** The current track id once its row is fetched (for setCurrent on a row not loaded yet). */
  get currentRow(): TrackRow | undefined {
    return this.currentIndex === null ? undefined : this.row(this.currentIndex);
  }

  /** Moves the current row by `delta` rows (j/k, arrows). */
  move(delta: number): void {
    this.setCurrent((this.currentIndex ?? -1) + delta);
  }

  /**
   * A click on a row: plain → that row alone is selected and current; with `toggle` (Ctrl/Cmd) →
   * added to or removed from the selection; with `range` (Shift) → every row from the anchor.
   */
  async select(index: number, mode: 'only' | 'toggle' | 'range' = 'only'): Promise<void> {
    const row = this.#pages.get(index);
    if (!row) return;
    if (mode === 'range' && this.#anchor !== null) {
      const [from, to] = this.#anchor < index ? [this.#anchor, index] : [index, this.#anchor];
      for (const id of await this.idsOf(from, to)) this.selection.add(id);
    } else if (mode === 'toggle') {
      if (this.selection.has(row.id)) this.selection.delete(row.id);
      else this.selection.add(row.id);
      this.#anchor = index;
    } else {
      this.selection.clear();
      this.selection.add(row.id);
      this.#anchor = index;
    }
    this.currentIndex = index;
    this.currentId = row.id;
  }

  /** Track ids of rows from … to of the listing, fetching pages that are not loaded. */
  async idsOf(from: number, to: number): Promise<number[]> {
    const ids: number[] = [];
    const last = Math.min(to, (this.total ?? 0) - 1);
    let i = Math.max(0, from);
    while (i <= last) {
      const row = this.#pages.get(i);
      if (row) {
        ids.push(row.id);
        i++;
        continue;
      }
      const limit = Math.min(1000, last - i + 1);
      const res = await this.#api['library.list']({ ...this.#listing, offset: i, limit });
      if (res.tracks.length === 0) break;
      for (const t of res.tracks) ids.push(t.id);
      i += res.tracks.length;
    }
    return ids;
  }

  /** Selects every track the query matches. */
  async selectAll(): Promise<void> {
    const ids = await this.idsOf(0, (this.total ?? 0) - 1);
    this.selection.clear();
    for (const id of ids) this.selection.add(id);
  }

  clearSelection(): void {
    this.selection.clear();
    this.#anchor = null;
  }
}
