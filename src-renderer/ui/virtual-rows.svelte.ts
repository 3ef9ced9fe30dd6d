// A runes front for TanStack Virtual (the virtualiser of @tanstack/svelte-virtual). The package's
// own Svelte adapter hands out a store; Betti's state is runes (../shared/STYLE.md §4), so this
// class drives the same framework-agnostic `Virtualizer` it re-exports and mirrors what the
// table draws — the visible items and the full height — into `$state`. Rows have one fixed
// height, so nothing is measured and scrolling never shifts the layout.
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem } from '@tanstack/svelte-virtual';

export interface VirtualRowsOptions {
  count: number;
  /** Row height in CSS pixels. */
  rowHeight: number;
  /** Rows drawn beyond each edge of the viewport. */
  overscan?: number;
}

export class VirtualRows {
  readonly #v: Virtualizer<HTMLElement, HTMLElement>;
  #element: HTMLElement | null = null;
  /** The rows to draw now. */
  items = $state.raw<VirtualItem[]>([]);
  /** Height of all rows together (the scroll area's content height). */
  totalSize = $state(0);

  constructor(opts: VirtualRowsOptions) {
    this.#v = new Virtualizer<HTMLElement, HTMLElement>({
      count: opts.count,
      estimateSize: () => opts.rowHeight,
      overscan: opts.overscan ?? 8,
      getScrollElement: () => this.#element,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      onChange: () => this.#sync(),
    });
  }

  #sync(): void {
    this.items = this.#v.getVirtualItems();
    this.totalSize = this.#v.getTotalSize();
  }

  /** Attaches to the scrolling element; returns the detach function (use from an $effect or attachment). */
  attach(element: HTMLElement): () => void {
    this.#element = element;
    const unmount = this.#v._didMount();
    this.#v._willUpdate();
    this.#sync();
    return () => {
      unmount();
      this.#element = null;
    };
  }

  /** Changes the row count or height (a new listing, a zoom change). */
  update(opts: Partial<VirtualRowsOptions>): void {
    const o = this.#v.options;
    this.#v.setOptions({
      ...o,
      count: opts.count ?? o.count,
      estimateSize: opts.rowHeight === undefined ? o.estimateSize : () => opts.rowHeight!,
      overscan: opts.overscan ?? o.overscan,
    });
    if (opts.rowHeight !== undefined) this.#v.measure();
    this.#v._willUpdate();
    this.#sync();
  }

  /** First and last row index on screen (without overscan); null before the first layout. */
  get visibleRange(): { start: number; end: number } | null {
    void this.items;
    const r = this.#v.range;
    return r ? { start: r.startIndex, end: r.endIndex } : null;
  }

  scrollToIndex(index: number, align: 'auto' | 'start' | 'center' | 'end' = 'auto'): void {
    this.#v.scrollToIndex(index, { align });
  }
}
