// The few browser globals that functions run inside the page use. The test project compiles
// without DOM types (it is Node code), so those functions reach them through this shape:
// `(globalThis as unknown as PageGlobals).document…`. Type-only: nothing here runs.

export interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}

export interface PageGlobals {
  document: {
    querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
    querySelector(selector: string): (PageElement & { scrollTop: number; clientHeight: number; scrollHeight: number }) | null;
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  performance: { now(): number; getEntriesByName(name: string): { startTime: number }[] };
  requestAnimationFrame(cb: (t: number) => void): number;
  PerformanceObserver: new (cb: (list: { getEntries(): { value?: number; hadRecentInput?: boolean; duration?: number }[] }) => void) => { observe(opts: { type: string; buffered?: boolean }): void };
  shifts?: number[];
}
