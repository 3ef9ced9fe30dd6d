// Perceptually uniform colour maps for the inspector's pictures. Each map is given by the nine
// evenly spaced colours R's viridisLite publishes (viridis(9), magma(9); the same maps as
// matplotlib's) and linearly interpolated into a 256-entry lookup table: monotone in lightness,
// readable in greyscale and by people with the common colour-vision deficiencies.

export type ColormapName = 'viridis' | 'magma';

const ANCHORS: Record<ColormapName, readonly string[]> = {
  viridis: ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21908c', '#27ad81', '#5dc863', '#aadc32', '#fde725'],
  magma: ['#000004', '#1d1147', '#51127c', '#822681', '#b63679', '#e65164', '#fb8861', '#fec287', '#fcfdbf'],
};

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const tables = new Map<ColormapName, Uint8ClampedArray>();

/** 256 × RGB: entry i is the colour of value i / 255. */
export function colormap(name: ColormapName): Uint8ClampedArray {
  const cached = tables.get(name);
  if (cached) return cached;
  const anchors = ANCHORS[name].map(rgb);
  const lut = new Uint8ClampedArray(256 * 3);
  const spans = anchors.length - 1;
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * spans;
    const j = Math.min(spans - 1, Math.floor(x));
    const f = x - j;
    const a = anchors[j]!;
    const b = anchors[j + 1]!;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
  tables.set(name, lut);
  return lut;
}

/** CSS colour of a value in [0, 1] (clamped), for legends and single marks. */
export function colourAt(name: ColormapName, value: number): string {
  const lut = colormap(name);
  const i = Math.max(0, Math.min(255, Math.round(value * 255)));
  return `rgb(${lut[i * 3]}, ${lut[i * 3 + 1]}, ${lut[i * 3 + 2]})`;
}
