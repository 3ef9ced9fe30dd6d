// Reading ../shared/data/manifest.csv and tags.json (the data set's README, "Files"): one parser
// for the extraction script and its tests. Every row is validated; a bad row names its line.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCsvLine } from '../src-main/model/labelled-manifest.ts';

// The CSV line splitter is the core's (betti eval reads the same files).
export { splitCsvLine };

export interface ManifestRow {
  path: string;
  tags: string[];
  split: 'train' | 'valid' | 'test';
  source: string;
  sourceTrack: string;
  labelledCategories: string[];
}

export class ManifestError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ManifestError';
  }
}

const COLUMNS = ['path', 'tags', 'split', 'source', 'source_track', 'license', 'labelled_categories'] as const;
const SPLITS = new Set(['train', 'valid', 'test']);

export function parseManifest(text: string, file = 'manifest.csv'): ManifestRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '');
  const col = new Map(header.map((h, i) => [h, i]));
  for (const c of COLUMNS) if (!col.has(c)) throw new ManifestError(file, 1, `missing column "${c}"`);
  return lines.slice(1).map((line, i) => {
    const f = splitCsvLine(line);
    const get = (c: (typeof COLUMNS)[number]) => f[col.get(c)!] ?? '';
    const split = get('split');
    if (!SPLITS.has(split)) throw new ManifestError(file, i + 2, `split "${split}" is not train/valid/test`);
    const path = get('path');
    if (!path || path.includes('..')) throw new ManifestError(file, i + 2, `bad path "${path}"`);
    const list = (s: string) => s.split(';').filter((x) => x.length > 0);
    return {
      path,
      tags: list(get('tags')),
      split: split as ManifestRow['split'],
      source: get('source'),
      sourceTrack: get('source_track'),
      labelledCategories: list(get('labelled_categories')),
    };
  });
}

export function readManifest(dataDir: string): { rows: ManifestRow[]; hash: string } {
  const file = join(dataDir, 'manifest.csv');
  const text = readFileSync(file, 'utf8');
  return { rows: parseManifest(text, file), hash: createHash('sha256').update(text).digest('hex') };
}
