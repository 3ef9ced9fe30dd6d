// A labelled clip list for `betti eval`: a CSV with the columns of ../shared/data/manifest.csv
// (its README, "Files" and "Reading labels"). Required: `path` (relative to the root folder) and
// `tags` (`;`-separated). Optional: `split`, and `labelled_categories` (`;`-separated): an absent
// tag is a known negative only when its category is listed there; without the column every
// absent tag counts as a negative. Every bad row names its line.
import { readFileSync } from 'node:fs';
import { BettiError } from '../api/errors.ts';

export interface LabelledClip {
  readonly path: string;
  readonly tags: readonly string[];
  readonly split: string | undefined;
  /** undefined: the file has no labelled_categories column, so every category is labelled. */
  readonly labelledCategories: readonly string[] | undefined;
  /** 1-based line in the CSV. */
  readonly line: number;
}

/** RFC 4180 fields of one line (quoted fields, doubled quotes; no newlines inside fields). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

const list = (s: string) => s.split(';').map((x) => x.trim()).filter((x) => x.length > 0);

export function parseLabelledManifest(text: string, file: string): LabelledClip[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const col = new Map(header.map((h, i) => [h, i]));
  for (const required of ['path', 'tags']) {
    if (!col.has(required)) {
      throw new BettiError('invalid-request', `${file}:1: the CSV has no "${required}" column (found: ${header.join(', ') || 'nothing'})`, {
        path: file,
        hint: 'A manifest needs at least the columns path,tags (and optionally split, labelled_categories), as ../shared/data/manifest.csv has.',
      });
    }
  }
  const clips: LabelledClip[] = [];
  lines.forEach((text, i) => {
    if (i === 0 || text.trim() === '') return;
    const f = splitCsvLine(text);
    const get = (c: string) => {
      const at = col.get(c);
      return at === undefined ? undefined : (f[at] ?? '').trim();
    };
    const path = get('path') ?? '';
    if (path === '') throw new BettiError('invalid-request', `${file}:${i + 1}: the path is empty`, { path: file });
    const labelled = get('labelled_categories');
    clips.push({ path, tags: list(get('tags') ?? ''), split: get('split'), labelledCategories: labelled === undefined ? undefined : list(labelled), line: i + 1 });
  });
  return clips;
}

export function readLabelledManifest(file: string): LabelledClip[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BettiError('not-found', `cannot read the manifest ${file} (${code ?? (err as Error).message})`, { path: file, hint: 'Pass the CSV with --manifest, e.g. ../shared/data/manifest.csv.', cause: err });
  }
  return parseLabelledManifest(text, file);
}
