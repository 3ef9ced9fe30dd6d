// `betti library [words…]`: list what the library knows, filtered and sorted, one page at a time.
import { BettiError } from '../../api/errors.ts';
import type { RequestOf } from '../../api/contract.ts';
import { ListRequest, type ListResponse, type TrackSummary } from '../../api/schemas/library.ts';
import { defineCommand } from '../command.ts';
import { commaList } from '../list-option.ts';

// What the flags take, from the library.list request schema (the contract).
const FORMATS = ListRequest.shape.formats.unwrap().element.options;
const SORTS = ListRequest.shape.sort.unwrap().options;
const MAX_LIMIT = ListRequest.shape.limit.unwrap().maxValue ?? Number.MAX_SAFE_INTEGER;

function count(flag: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) {
    throw new BettiError('invalid-request', `${flag} must be a whole number, got "${String(raw)}"`, { hint: `e.g. betti library ${flag} 50` });
  }
  return n;
}

/** A flag's value from a fixed list, checked here so the message names the flag, not a request field. */
function choice<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new BettiError('invalid-request', `${flag}: "${raw}" is not one of ${allowed.join(', ')}`, { hint: `e.g. betti library ${flag} ${allowed[0]}` });
}

function duration(s: number | null): string {
  if (s === null) return '  -  ';
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.round(s % 60)).padStart(2, '0')}`.padStart(5);
}

function row(t: TrackSummary): string {
  const flags = `${t.missing ? 'M' : ' '}${t.error ? 'E' : ' '}`;
  const name = t.tags.title ? `${t.tags.artist ?? '?'} – ${t.tags.title}` : t.path;
  const album = t.tags.album ? `  [${t.tags.album}]` : '';
  const line = `${String(t.id).padStart(6)} ${flags} ${(t.audio.format ?? '?').padEnd(7)} ${duration(t.audio.durationS)}  ${name}${album}`;
  return t.error ? `${line}\n${' '.repeat(9)}${t.error.message}` : line;
}

function human(r: ListResponse): string {
  if (r.total === 0) return 'No tracks match. Scan a folder first (betti scan <folder>) or loosen the filters.';
  const lines = r.tracks.map(row);
  const last = r.offset + r.tracks.length;
  lines.push('', `${r.offset + 1}–${last} of ${r.total} (M: missing, E: could not be read)`);
  if (last < r.total) lines.push(`More: add --offset ${last}`);
  return lines.join('\n');
}

export const libraryCommand = defineCommand<ListResponse>({
  usage: 'library [words...]',
  describe: 'List the tracks in the library; words search title, artist, album, genre and path',
  options: [
    { flags: '--format <formats>', description: 'only these formats, comma-separated (mp3,flac,opus,…)' },
    { flags: '--missing', description: 'only files the last scan did not find' },
    { flags: '--present', description: 'only files the last scan found' },
    { flags: '--errors', description: 'only files that could not be read, with the reason' },
    { flags: '--analysed', description: 'only tracks analysed for the audio they have now' },
    { flags: '--unanalysed', description: 'only tracks not analysed yet (or changed since)' },
    { flags: '--suggestions', description: 'only tracks with suggestions waiting for review' },
    { flags: '--tag <tag>', description: 'only tracks with this tag: a genre or mood in the file, or a pending or accepted suggestion' },
    { flags: '--under <folder>', description: 'only tracks under this folder' },
    { flags: '--sort <key>', description: 'artist (default), album, title, genre, year, duration, added, path, format' },
    { flags: '--desc', description: 'sort in descending order' },
    { flags: '--limit <n>', description: 'rows per page (default 100, at most 1000)' },
    { flags: '--offset <n>', description: 'skip this many rows' },
  ],
  run(ctx, words, o) {
    if (o.missing && o.present) throw new BettiError('invalid-request', '--missing and --present exclude each other', { hint: 'Use one of them.' });
    const req: RequestOf<'library.list'> = {};
    if (typeof o.format === 'string') {
      req.formats = commaList(o.format).map((f) => choice('--format', f.toLowerCase(), FORMATS));
    }
    if (o.missing) req.missing = true;
    if (o.present) req.missing = false;
    if (o.analysed && o.unanalysed) throw new BettiError('invalid-request', '--analysed and --unanalysed exclude each other', { hint: 'Use one of them.' });
    if (o.errors) req.hasErrors = true;
    if (o.analysed) req.analysed = true;
    if (o.unanalysed) req.analysed = false;
    if (o.suggestions) req.hasSuggestions = true;
    if (typeof o.tag === 'string') req.tag = o.tag;
    if (typeof o.under === 'string') req.under = o.under;
    if (typeof o.sort === 'string') req.sort = choice('--sort', o.sort.trim().toLowerCase(), SORTS);
    if (o.desc) req.descending = true;
    const limit = count('--limit', o.limit);
    const offset = count('--offset', o.offset);
    if (limit !== undefined && (limit < 1 || limit > MAX_LIMIT)) throw new BettiError('invalid-request', `--limit must be from 1 to ${MAX_LIMIT}, got ${limit}`, { hint: 'e.g. --limit 100, and --offset to page through more.' });
    if (limit !== undefined) req.limit = limit;
    if (offset !== undefined) req.offset = offset;
    if (words.length > 0) req.search = words.join(' ');
    return ctx.client['library.list'](req);
  },
  human,
});
