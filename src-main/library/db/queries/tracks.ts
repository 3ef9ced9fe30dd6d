// Typed queries over the tracks table: the only SQL about tracks (../../../../shared/STYLE.md §2).
import type { ErrorKind } from '../../../api/errors.ts';
import type { ContainerFormat } from '../../audio-payload.ts';
import { READER_VERSION, type RawTags, type TrackAudio, type TrackFileError, type TrackRecord, type TrackRow, type TrackTags } from '../../track.ts';
import type { LibraryDb, SqlParam } from '../open.ts';

interface TrackDbRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  fingerprint: string | null;
  container: string;
  format: string | null;
  container_name: string | null;
  codec: string | null;
  duration_s: number | null;
  sample_rate: number | null;
  channels: number | null;
  bitrate: number | null;
  bits_per_sample: number | null;
  lossless: number | null;
  tag_types: string;
  has_picture: number;
  title: string | null;
  artist: string | null;
  artists: string;
  album: string | null;
  album_artist: string | null;
  genre: string | null;
  genres: string;
  year: number | null;
  track_no: number | null;
  track_total: number | null;
  disc_no: number | null;
  disc_total: number | null;
  bpm: number | null;
  mood: string | null;
  comment: string | null;
  raw_json?: string;
  warnings_json: string;
  error_kind: string | null;
  error_message: string | null;
  missing: number;
  added_at: number;
  scanned_at: number;
}

/** Every column but raw_json (large; only one-track reads need it). */
const SUMMARY_COLUMNS = `id, path, size, mtime_ms, fingerprint, container, format, container_name, codec, duration_s,
  sample_rate, channels, bitrate, bits_per_sample, lossless, tag_types, has_picture, title, artist, artists, album,
  album_artist, genre, genres, year, track_no, track_total, disc_no, disc_total, bpm, mood, comment, warnings_json,
  error_kind, error_message, missing, added_at, scanned_at`;

const EMPTY_RAW: RawTags = { common: {}, native: {} };

function toTrackRow(r: TrackDbRow): TrackRow {
  const tags: TrackTags = {
    title: r.title,
    artist: r.artist,
    artists: JSON.parse(r.artists) as string[],
    album: r.album,
    albumArtist: r.album_artist,
    trackNo: r.track_no,
    trackTotal: r.track_total,
    discNo: r.disc_no,
    discTotal: r.disc_total,
    year: r.year,
    genres: JSON.parse(r.genres) as string[],
    mood: r.mood,
    bpm: r.bpm,
    comment: r.comment,
  };
  const audio: TrackAudio = {
    format: r.format,
    containerName: r.container_name,
    codec: r.codec,
    durationS: r.duration_s,
    sampleRate: r.sample_rate,
    channels: r.channels,
    bitrate: r.bitrate,
    bitsPerSample: r.bits_per_sample,
    lossless: r.lossless === null ? null : r.lossless === 1,
    tagTypes: JSON.parse(r.tag_types) as string[],
    hasPicture: r.has_picture === 1,
  };
  return {
    id: r.id,
    path: r.path,
    size: r.size,
    mtimeMs: r.mtime_ms,
    fingerprint: r.fingerprint,
    container: r.container as ContainerFormat,
    audio,
    tags,
    raw: r.raw_json === undefined ? EMPTY_RAW : (JSON.parse(r.raw_json) as RawTags),
    warnings: JSON.parse(r.warnings_json) as string[],
    error: r.error_kind === null ? null : { kind: r.error_kind as ErrorKind, message: r.error_message ?? '' },
    missing: r.missing === 1,
    addedAt: r.added_at,
    scannedAt: r.scanned_at,
  };
}

/**
 * A record as the tracks table stores it: its column values, plus what the scan decides on before
 * writing it. The scan's read workers send these rather than TrackRecords: a flat list of strings
 * and numbers costs a fraction of a nested object to copy between threads, and the JSON columns
 * are then encoded on the worker, not on the thread that writes the database.
 */
export interface EncodedTrack {
  path: string;
  fingerprint: string | null;
  error: TrackFileError | null;
  /** Values of RECORD_COLUMNS, in order. */
  columns: SqlParam[];
}

export function encodeTrack(record: TrackRecord): EncodedTrack {
  return { path: record.path, fingerprint: record.fingerprint, error: record.error, columns: recordValues(record) };
}

/** Column values of a record, in the order of RECORD_COLUMNS. */
function recordValues(t: TrackRecord): SqlParam[] {
  const a = t.audio;
  const g = t.tags;
  return [
    t.size,
    t.mtimeMs,
    t.fingerprint,
    t.container,
    a.format,
    a.containerName,
    a.codec,
    a.durationS,
    a.sampleRate,
    a.channels,
    a.bitrate === null ? null : Math.round(a.bitrate),
    a.bitsPerSample,
    a.lossless === null ? null : a.lossless ? 1 : 0,
    JSON.stringify(a.tagTypes),
    a.hasPicture ? 1 : 0,
    g.title,
    g.artist,
    JSON.stringify(g.artists),
    g.album,
    g.albumArtist,
    g.genres.length > 0 ? g.genres.join('; ') : null,
    JSON.stringify(g.genres),
    g.year,
    g.trackNo,
    g.trackTotal,
    g.discNo,
    g.discTotal,
    g.bpm,
    g.mood,
    g.comment,
    JSON.stringify(t.raw),
    JSON.stringify(t.warnings),
    t.error?.kind ?? null,
    t.error?.message ?? null,
    READER_VERSION,
  ];
}

const RECORD_COLUMNS = [
  'size',
  'mtime_ms',
  'fingerprint',
  'container',
  'format',
  'container_name',
  'codec',
  'duration_s',
  'sample_rate',
  'channels',
  'bitrate',
  'bits_per_sample',
  'lossless',
  'tag_types',
  'has_picture',
  'title',
  'artist',
  'artists',
  'album',
  'album_artist',
  'genre',
  'genres',
  'year',
  'track_no',
  'track_total',
  'disc_no',
  'disc_total',
  'bpm',
  'mood',
  'comment',
  'raw_json',
  'warnings_json',
  'error_kind',
  'error_message',
  'reader_version',
] as const;

const UPSERT_SQL = `INSERT INTO tracks (path, ${RECORD_COLUMNS.join(', ')}, missing, added_at, scanned_at)
  VALUES (?, ${RECORD_COLUMNS.map(() => '?').join(', ')}, 0, ?, ?)
  ON CONFLICT (path) DO UPDATE SET ${RECORD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, missing = 0, scanned_at = excluded.scanned_at
  RETURNING id`;

const MOVE_SQL = `UPDATE tracks SET path = ?, ${RECORD_COLUMNS.map((c) => `${c} = ?`).join(', ')}, missing = 0, scanned_at = ? WHERE id = ?`;

export function getTrackById(db: LibraryDb, id: number): TrackRow | undefined {
  const r = db.get<TrackDbRow>(`SELECT ${SUMMARY_COLUMNS}, raw_json FROM tracks WHERE id = ?`, id);
  return r && toTrackRow(r);
}

export function getTrackByPath(db: LibraryDb, path: string): TrackRow | undefined {
  const r = db.get<TrackDbRow>(`SELECT ${SUMMARY_COLUMNS}, raw_json FROM tracks WHERE path = ?`, path);
  return r && toTrackRow(r);
}

/** Inserts the record, or replaces the row with the same path (which is then no longer missing). Returns the row id. */
export function upsertTrack(db: LibraryDb, record: TrackRecord | EncodedTrack, now = Date.now()): number {
  const columns = 'columns' in record ? record.columns : recordValues(record);
  const r = db.get<{ id: number }>(UPSERT_SQL, record.path, ...columns, now, now);
  return r!.id;
}

/** Points an existing row at a new path (the file moved) and stores what was read there. */
export function moveTrack(db: LibraryDb, id: number, record: TrackRecord | EncodedTrack, now = Date.now()): void {
  const columns = 'columns' in record ? record.columns : recordValues(record);
  db.run(MOVE_SQL, record.path, ...columns, now, id);
}

/** Tracks with this audio fingerprint, oldest first. */
export function findTracksByFingerprint(db: LibraryDb, fingerprint: string): { id: number; path: string; missing: boolean }[] {
  return db
    .all<{ id: number; path: string; missing: number }>('SELECT id, path, missing FROM tracks WHERE fingerprint = ? ORDER BY id', fingerprint)
    .map((r) => ({ id: r.id, path: r.path, missing: r.missing === 1 }));
}

/**
 * Tracks with this fingerprint whose paths lie outside every one of `folders`: where a file moved
 * into the scanned folders may have come from. One range on the (fingerprint, path) index per gap
 * between the folders, so identical copies inside the folders cost nothing.
 */
export function findTracksByFingerprintOutside(
  db: LibraryDb,
  fingerprint: string,
  folders: readonly string[],
  sep = '/',
  limit = 50,
): { id: number; path: string; missing: boolean }[] {
  const next = String.fromCharCode(sep.charCodeAt(0) + 1);
  // Sorted by where each range starts (folder + separator), so the gaps come out in order.
  const ranges = [...folders].map((f) => (f.endsWith(sep) ? f.slice(0, -1) : f)).sort((a, b) => (a + sep < b + sep ? -1 : a + sep > b + sep ? 1 : 0));
  const out: { id: number; path: string; missing: boolean }[] = [];
  let from: string | undefined;
  for (const base of [...ranges, undefined]) {
    const rows =
      base === undefined
        ? db.all<{ id: number; path: string; missing: number }>(
            from === undefined ? 'SELECT id, path, missing FROM tracks WHERE fingerprint = ? LIMIT ?' : 'SELECT id, path, missing FROM tracks WHERE fingerprint = ? AND path >= ? LIMIT ?',
            ...(from === undefined ? [fingerprint, limit] : [fingerprint, from, limit]),
          )
        : db.all<{ id: number; path: string; missing: number }>(
            from === undefined
              ? 'SELECT id, path, missing FROM tracks WHERE fingerprint = ? AND path < ? LIMIT ?'
              : 'SELECT id, path, missing FROM tracks WHERE fingerprint = ? AND path >= ? AND path < ? LIMIT ?',
            ...(from === undefined ? [fingerprint, base + sep, limit] : [fingerprint, from, base + sep, limit]),
          );
    for (const r of rows) out.push({ id: r.id, path: r.path, missing: r.missing === 1 });
    if (base !== undefined) from = base + next;
  }
  return out;
}

/** What an incremental scan needs to know about one known file (its fingerprint only if it is gone: fingerprintsOf). */
export interface KnownFile {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  missing: boolean;
  /** READER_VERSION (track.ts) of the Betti that wrote the row. */
  readerVersion: number;
}

const KNOWN_COLUMNS = 'id, path, size, mtime_ms, missing, reader_version';
type KnownColumns = [number, string, number, number, number, number];
const knownFile = (r: KnownColumns): KnownFile => ({ id: r[0], path: r[1], size: r[2], mtimeMs: r[3], missing: r[4] === 1, readerVersion: r[5] });

/** knownFilesUnder's query (exported for its query-plan test). */
export const KNOWN_FILES_SQL = `SELECT ${KNOWN_COLUMNS} FROM tracks WHERE path >= ? AND path < ?`;

/** The known file at exactly `path` (a scan root that is one file). */
export function knownFileAt(db: LibraryDb, path: string): KnownFile | undefined {
  const r = db.allArrays<KnownColumns>(`SELECT ${KNOWN_COLUMNS} FROM tracks WHERE path = ?`, path)[0];
  return r && knownFile(r);
}

/**
 * Every track whose path lies under one of `folders` (absolute, without a trailing separator), by
 * path. A range on the path index, not a LIKE: `folder + sep` ≤ path < `folder + (sep + 1)`.
 * Rows come as arrays and without the fingerprint: this runs on every rescan over the whole
 * library, and building row objects with fingerprints was a large part of an unchanged library's
 * rescan.
 */
export function knownFilesUnder(db: LibraryDb, folders: readonly string[], sep = '/'): Map<string, KnownFile> {
  const next = String.fromCharCode(sep.charCodeAt(0) + 1);
  const out = new Map<string, KnownFile>();
  for (const folder of folders) {
    const base = folder.endsWith(sep) ? folder.slice(0, -1) : folder;
    // Answered from the covering index tracks_by_scan_state (migrations 0120 and 0130) alone.
    const rows = db.allArrays<KnownColumns>(KNOWN_FILES_SQL, base + sep, base + next);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!; // indexed, not destructured: this loop runs once per process, before the JIT warms up
      out.set(r[1], knownFile(r));
    }
  }
  return out;
}

/** The audio fingerprints of the rows `ids` (rows without one are left out). */
export function fingerprintsOf(db: LibraryDb, ids: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = db.allArrays<[number, string]>(
      'SELECT id, fingerprint FROM tracks WHERE id IN (SELECT value FROM json_each(?)) AND fingerprint IS NOT NULL',
      JSON.stringify(ids.slice(i, i + 500)),
    );
    for (const [id, fingerprint] of rows) out.set(id, fingerprint);
  }
  return out;
}

/** Ids of the rows whose file could not be read (the scan reads those again even when unchanged). */
export function trackIdsWithErrors(db: LibraryDb): number[] {
  return db.all<{ id: number }>('SELECT id FROM tracks WHERE error_kind IS NOT NULL').map((r) => r.id);
}

/** Marks rows missing (their files were not found); the rows and everything keyed to them stay. */
export function markTracksMissing(db: LibraryDb, ids: readonly number[], now = Date.now()): void {
  for (const id of ids) db.run('UPDATE tracks SET missing = 1, scanned_at = ? WHERE id = ? AND missing = 0', now, id);
}

/** Clears the missing mark of a row whose file is back unchanged. */
export function markTrackPresent(db: LibraryDb, id: number, now = Date.now()): void {
  db.run('UPDATE tracks SET missing = 0, scanned_at = ? WHERE id = ?', now, id);
}

export const trackSorts = ['artist', 'album', 'title', 'genre', 'year', 'duration', 'added', 'path', 'format'] as const;
export type TrackSort = (typeof trackSorts)[number];

/** Each sort is served by one index (see migration 0010), the row id breaking ties. */
const ORDER_BY: Record<TrackSort, string[]> = {
  artist: ['artist COLLATE NOCASE', 'album COLLATE NOCASE', 'disc_no', 'track_no', 'id'],
  album: ['album COLLATE NOCASE', 'disc_no', 'track_no', 'id'],
  title: ['title COLLATE NOCASE', 'id'],
  genre: ['genre COLLATE NOCASE', 'id'],
  year: ['year', 'id'],
  duration: ['duration_s', 'id'],
  added: ['added_at', 'id'],
  path: ['path'],
  format: ['format', 'id'],
};

export interface TrackQuery {
  /** User-facing format names (mp3, flac, opus…); any of them matches. */
  formats?: readonly string[];
  /** true: only missing files; false: only files present at the last scan; undefined: both. */
  missing?: boolean;
  /** true: only files that could not be read; false: only files read cleanly. */
  hasErrors?: boolean;
  /**
   * true: only tracks analysed for their current audio (their queue row is done and keyed by the
   * audio they have now, so a file whose audio changed since counts as not analysed until the next
   * run); false: the others (never analysed, waiting, failed, or analysed for older audio).
   */
  analysed?: boolean;
  /** true: only tracks with suggestions waiting for a decision; false: only tracks without. */
  hasSuggestions?: boolean;
  /**
   * A tag the track has, compared without regard to ASCII case: a genre value or the mood in its
   * file, or a suggestion of that tag that is pending or accepted (accepted ones are about to be,
   * or have been, written to the file). Rejected suggestions do not count.
   */
  tag?: string;
  /** Words to find in title, artist, album, album artist, genre or path; each word matches as a prefix. */
  search?: string;
  /** Only tracks under this folder (absolute path). */
  under?: string;
  sort?: TrackSort;
  descending?: boolean;
  offset?: number;
  limit?: number;
}

/** FTS5 query of the words in `text`: every word must match the start of a token. */
export function toMatchQuery(text: string): string | undefined {
  const words = text
    .normalize('NFC')
    .split(/[\s\p{P}\p{S}]+/u)
    .filter((w) => w.length > 0);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');
}

/**
 * Whether queue row q's content key is the 'file:<size>:<mtime>:<path>' key of the track as it is
 * now. The mtime is compared as a number: JavaScript and SQLite print doubles differently, so the
 * key cannot be rebuilt as text here.
 */
const FILE_KEY_MATCHES = `(substr(q.content_key, 1, length('file:' || tracks.size || ':')) = 'file:' || tracks.size || ':'
  AND substr(q.content_key, -length(':' || tracks.path)) = ':' || tracks.path
  AND CAST(substr(q.content_key, length('file:' || tracks.size || ':') + 1,
    length(q.content_key) - length('file:' || tracks.size || ':') - length(':' || tracks.path)) AS REAL) = tracks.mtime_ms)`;

function whereOf(q: TrackQuery, sep: string): { sql: string; params: SqlParam[] } {
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  if (q.formats && q.formats.length > 0) {
    clauses.push(`format IN (${q.formats.map(() => '?').join(', ')})`);
    params.push(...q.formats);
  }
  if (q.missing !== undefined) clauses.push(q.missing ? 'missing = 1' : 'missing = 0');
  if (q.hasErrors !== undefined) clauses.push(q.hasErrors ? 'error_kind IS NOT NULL' : 'error_kind IS NULL');
  if (q.analysed !== undefined) {
    // A queue row is done only once its analysis is stored (or was found stored), so the row alone
    // answers; its key must still be the track's audio: the fingerprint, or for the rare file
    // without one the 'file:' key (analysis/cache.ts contentKeyOf), which names the path.
    // One primary-key lookup per row.
    clauses.push(`${q.analysed ? '' : 'NOT '}EXISTS (SELECT 1 FROM analysis_queue q WHERE q.track_id = tracks.id AND q.state = 'done'
      AND (q.content_key = tracks.fingerprint OR (tracks.fingerprint IS NULL AND ${FILE_KEY_MATCHES})))`);
  }
  if (q.hasSuggestions !== undefined) {
    // A set of ids read once from suggestions_by_decision. The + keeps SQLite from driving the
    // listing from that set by row id, which would give up the sort's index.
    clauses.push(`+id ${q.hasSuggestions ? '' : 'NOT '}IN (SELECT track_id FROM suggestions WHERE decision = 'pending')`);
  }
  const tag = q.tag?.trim();
  if (tag) {
    // The file's genres are a JSON array of strings: a LIKE for the quoted value finds the few
    // candidate rows cheaply (LIKE ignores ASCII case, as NOCASE does), json_each confirms them.
    // Suggestions are found through suggestions_by_tag (migration 0110).
    clauses.push(`(mood = ? COLLATE NOCASE
      OR (genres LIKE ? ESCAPE '\\' AND EXISTS (SELECT 1 FROM json_each(tracks.genres) g WHERE g.value = ? COLLATE NOCASE))
      OR +id IN (SELECT track_id FROM suggestions WHERE tag = ? COLLATE NOCASE AND decision IN ('pending', 'accepted')))`);
    params.push(tag, `%${JSON.stringify(tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`, tag, tag);
  }
  if (q.under !== undefined) {
    const base = q.under.endsWith(sep) ? q.under.slice(0, -1) : q.under;
    clauses.push('path >= ? AND path < ?');
    params.push(base + sep, base + String.fromCharCode(sep.charCodeAt(0) + 1));
  }
  if (q.search !== undefined) {
    const match = toMatchQuery(q.search);
    if (match !== undefined) {
      clauses.push('id IN (SELECT rowid FROM track_search WHERE track_search MATCH ?)');
      params.push(match);
    }
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * The SQL and parameters of one page of a listing (exported for the query-plan test). By default
 * the page walks the sort's index and stops after `limit` matches: right when matches are common.
 * With `walkIndex: false` the table is read once and the matches sorted: right when they are rare
 * (a walk would visit most of the index to find them).
 */
export function listTracksSql(q: TrackQuery, sep = '/', opts: { walkIndex?: boolean } = {}): { sql: string; params: SqlParam[] } {
  const where = whereOf(q, sep);
  const dir = q.descending ? ' DESC' : '';
  // A unary + keeps SQLite from using the column's index for the order.
  const order = ORDER_BY[q.sort ?? 'artist'].map((c) => (opts.walkIndex === false ? '+' : '') + c + dir).join(', ');
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM tracks ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    params: [...where.params, q.limit ?? 100, q.offset ?? 0],
  };
}

/** Below this share of the library, matches are rare enough to sort rather than walk an index for. */
const RARE_MATCHES = 0.1;

/** One page of tracks (without raw tags) and how many match in all. */
export function listTracks(db: LibraryDb, q: TrackQuery, sep = '/'): { total: number; tracks: TrackRow[] } {
  const where = whereOf(q, sep);
  const total = db.get<{ n: number }>(`SELECT count(*) AS n FROM tracks ${where.sql}`, ...where.params)!.n;
  const rare = where.sql !== '' && total < RARE_MATCHES * db.get<{ n: number }>('SELECT count(*) AS n FROM tracks')!.n;
  const page = listTracksSql(q, sep, { walkIndex: !rare });
  return { total, tracks: db.all<TrackDbRow>(page.sql, ...page.params).map(toTrackRow) };
}

/** Rows in the tracks table (count(*) over the smallest index, not a pass over the table). */
export function trackCount(db: LibraryDb): number {
  return db.get<{ n: number }>('SELECT count(*) AS n FROM tracks')!.n;
}

/** Counts over the whole library, for summaries. */
export function libraryCounts(db: LibraryDb): { tracks: number; missing: number; errors: number } {
  return db.get<{ tracks: number; missing: number; errors: number }>(
    'SELECT count(*) AS tracks, coalesce(sum(missing), 0) AS missing, count(error_kind) AS errors FROM tracks',
  )!;
}
