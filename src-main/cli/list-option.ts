// A flag that takes several values, comma-separated (--tag piano,drums), given once or, for a
// variadic flag, several times (--field GROUPING --field mood,comment).

/** The values of such a flag: split at commas, trimmed, empty ones dropped ([] when absent). */
export function commaList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
