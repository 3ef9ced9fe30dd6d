// What a learning run learns from: for each field, each value's tracks (rows of the embedding
// matrix) as the files say, plus the person's decisions on earlier personal suggestions (an
// accepted one is a positive until it is written; a rejected one a confirmed negative). A file's
// own tag wins over a decision about it.
import { normaliseTag } from '../analysis/suggestions.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { allPersonalDecisions, trackFieldSources } from '../library/db/queries/personal.ts';
import { rowOf, type EmbeddingMatrix } from './embedding-matrix.ts';
import { groupKeyOf, sourceOf, valuesOf } from './field-values.ts';

export interface ValueTracks {
  /** The spelling most tracks use. */
  value: string;
  /** Rows whose file carries the value, ascending. */
  fileRows: number[];
  /** Decided personal suggestions of the value on rows whose file lacks it. */
  decided: { row: number; positive: boolean }[];
}

export interface LibraryLabels {
  /** Per matrix row: its held-out group (album). */
  groupKeys: string[];
  /** field → value key → tracks. */
  fields: Map<string, Map<string, ValueTracks>>;
}

export function readLabels(db: LibraryDb, matrix: EmbeddingMatrix, fields: readonly string[], separator: string): LibraryLabels {
  const raw = fields.some((f) => sourceOf(f) === 'native');
  const groupKeys = Array.from(matrix.trackIds, (id) => `track:${id}`);
  const spellings = new Map<string, Map<string, Map<string, number>>>();
  const out = new Map<string, Map<string, ValueTracks>>(fields.map((f) => [f, new Map()]));
  for (const row of trackFieldSources(db, { raw })) {
    const r = rowOf(matrix, row.id);
    if (r < 0) continue; // not analysed with this model: nothing to learn from
    groupKeys[r] = groupKeyOf(row);
    for (const field of fields) {
      const byKey = out.get(field)!;
      let spell = spellings.get(field);
      if (!spell) spellings.set(field, (spell = new Map()));
      for (const [key, spelling] of valuesOf(row, field, separator)) {
        let v = byKey.get(key);
        if (!v) byKey.set(key, (v = { value: spelling, fileRows: [], decided: [] }));
        v.fileRows.push(r);
        let counts = spell.get(key);
        if (!counts) spell.set(key, (counts = new Map()));
        counts.set(spelling, (counts.get(spelling) ?? 0) + 1);
      }
    }
  }
  // The most common spelling names the value (ties: the first in sort order, for stable output).
  for (const [field, byKey] of out) {
    for (const [key, v] of byKey) {
      const counts = [...spellings.get(field)!.get(key)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      v.value = counts[0]![0];
    }
  }
  for (const d of allPersonalDecisions(db)) {
    const field = d.category.toUpperCase();
    const byKey = out.get(field);
    if (!byKey) continue;
    const r = rowOf(matrix, d.trackId);
    if (r < 0) continue;
    const key = normaliseTag(d.tag);
    let v = byKey.get(key);
    if (!v) byKey.set(key, (v = { value: d.tag, fileRows: [], decided: [] }));
    if (!v.fileRows.includes(r)) v.decided.push({ row: r, positive: d.accepted });
  }
  return { groupKeys, fields: out };
}
