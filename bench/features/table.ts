// The table every bench/features section prints: one row per measurement, with the reference
// measured in the same run and the ratio between them.
export interface Row {
  benchmark: string;
  betti: string;
  reference: string;
  ratio: string;
}

export function formatTable(rows: readonly Row[]): string {
  const cols = ['benchmark', 'betti', 'reference', 'ratio'] as const;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((s, i) => s.padEnd(widths[i]!)).join('  ');
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n');
}

/** Runs `body` repeatedly for about `seconds` (at least `minRuns` times); the best time of one run in ms. */
export async function bestOf(seconds: number, body: () => unknown, minRuns = 3): Promise<number> {
  let best = Infinity;
  let runs = 0;
  const until = performance.now() + seconds * 1000;
  do {
    const t0 = performance.now();
    await body();
    best = Math.min(best, performance.now() - t0);
    runs++;
  } while (performance.now() < until || runs < minRuns);
  return best;
}
