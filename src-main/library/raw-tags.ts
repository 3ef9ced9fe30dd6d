// Turns what music-metadata read into JSON the database can keep: binary values (pictures,
// private frames) become a short description, long texts are cut (a malformed or hostile tag
// can hold megabytes), and the cut is reported as a warning.
import type { IAudioMetadata } from 'music-metadata';
import type { RawTags } from './track.ts';

/** Longest text kept from one tag value; longer ones are cut and a warning says so. */
export const MAX_TEXT = 16 * 1024;
/** Most values kept per tag format; the rest are dropped with a warning. */
export const MAX_NATIVE_VALUES = 2000;

function jsonSafe(value: unknown, where: string, warnings: Set<string>, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (value.length <= MAX_TEXT) return value;
    warnings.add(`${where}: a ${value.length}-character value was cut to ${MAX_TEXT} characters`);
    return value.slice(0, MAX_TEXT);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return { binaryBytes: value.length };
  if (depth > 6) return null;
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, where, warnings, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = jsonSafe(v, where, warnings, depth + 1);
    }
    return out;
  }
  return String(value);
}

export function rawTagsOf(meta: IAudioMetadata, warnings: Set<string>): RawTags {
  const common = jsonSafe(meta.common, 'tag', warnings) as Record<string, unknown>;
  const native: RawTags['native'] = {};
  for (const [type, frames] of Object.entries(meta.native)) {
    if (frames.length > MAX_NATIVE_VALUES) warnings.add(`${type}: ${frames.length} tag values; only the first ${MAX_NATIVE_VALUES} were kept`);
    native[type] = frames.slice(0, MAX_NATIVE_VALUES).map((f) => ({ id: f.id, value: jsonSafe(f.value, `${type} ${f.id}`, warnings) }));
  }
  return { common, native };
}
