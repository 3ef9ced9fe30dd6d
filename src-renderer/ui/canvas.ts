// Canvas plumbing shared by the inspector's pictures: a backing store sized to the element and the
// device pixel ratio (sharp at 125% zoom and on HiDPI screens), theme colours read from CSS, and
// a bitmap made from RGBA pixels.

export interface FittedCanvas {
  ctx: CanvasRenderingContext2D;
  /** CSS pixels; the context is scaled so drawing uses them. */
  width: number;
  height: number;
}

/** Sizes the canvas's backing store to its CSS box × devicePixelRatio; null when it has no size yet. */
export function fitCanvas(canvas: HTMLCanvasElement): FittedCanvas | null {
  const rect = canvas.getBoundingClientRect();
  if (rect.width < 1 || rect.height < 1) return null;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(rect.width * dpr);
  const h = Math.round(rect.height * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, rect.width, rect.height);
  return { ctx, width: rect.width, height: rect.height };
}

/** A CSS custom property's value on `el` (theme colours follow light/dark). */
export function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

/** An offscreen bitmap of width × height RGBA pixels, for drawImage scaling. */
export function bitmapOf(width: number, height: number, rgba: Uint8ClampedArray<ArrayBuffer>): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = Math.max(1, width);
  c.height = Math.max(1, height);
  const ctx = c.getContext('2d');
  if (ctx && width > 0 && height > 0) ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  return c;
}

/** Calls `redraw` when the element resizes or the colour scheme changes; returns the cleanup. */
export function watchLayout(el: Element, redraw: () => void): () => void {
  const ro = new ResizeObserver(() => redraw());
  ro.observe(el);
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', redraw);
  return () => {
    ro.disconnect();
    mq.removeEventListener('change', redraw);
  };
}
