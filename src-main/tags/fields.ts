// The one table of where Betti's fields live in each format (DESIGN.md "Tags written", the
// conventions of MusicBrainz Picard) and which values each format can hold so that they read back
// exactly. The writer, the reader used for previews and verification, and the plan all look
// fields up here; nothing else knows a frame id, a Vorbis key or an MP4 atom name.
//
//   field      ID3v2.4 (mp3, wav, aiff)   ID3v2.3                          Vorbis (flac, ogg, opus)   MP4 (m4a)
//   GENRE      TCON, values NUL-separated TCON, one string joined by sep    GENRE, one comment each    ©gen, one data atom each
//   MOOD       TMOO, values NUL-separated TXXX:MOOD, joined by sep         MOOD                       ----:com.apple.iTunes:MOOD
//   GROUPING   TIT1, values NUL-separated TIT1, one string joined by sep    GROUPING                   ©grp
//   <custom>   TXXX:<custom>              TXXX:<custom>, joined by sep      <custom>                   ----:com.apple.iTunes:<custom>
//
// ID3v1 is kept exactly as found (never created, never changed; see id3v1.ts); RIFF INFO (wav)
// and AIFF text chunks are left as they are; Betti writes the ID3v2 chunk of wav/aiff like Picard.

export const GENRE = 'GENRE';
export const MOOD = 'MOOD';
/** Picard's grouping (a personal tag model may learn it and write it back: issue 10). */
export const GROUPING = 'GROUPING';
export const DEFAULT_CUSTOM_FIELD = 'BETTI_TAGS';
export const DEFAULT_ID3V23_SEPARATOR = '; ';

export const tagFormats = ['mp3', 'flac', 'ogg', 'opus', 'm4a', 'wav', 'aiff'] as const;
export type TagFormat = (typeof tagFormats)[number];
export type TagSystem = 'id3v2' | 'vorbis' | 'mp4';
export const id3Versions = ['2.4', '2.3'] as const;
export type Id3Version = (typeof id3Versions)[number];

export interface FormatRow {
  readonly label: string;
  readonly system: TagSystem;
  /** The mime type node-taglib-sharp uses to pick its file class (temp copies have no extension). */
  readonly writerMime: string;
  /** music-metadata's `format.container` / `format.codec` for this format. */
  readonly container: RegExp;
  readonly codec?: RegExp;
}

export const formats: Readonly<Record<TagFormat, FormatRow>> = {
  mp3: { label: 'MP3', system: 'id3v2', writerMime: 'taglib/mp3', container: /^MPEG$/, codec: /Layer 3/ },
  flac: { label: 'FLAC', system: 'vorbis', writerMime: 'taglib/flac', container: /^FLAC$/ },
  ogg: { label: 'Ogg Vorbis', system: 'vorbis', writerMime: 'taglib/ogg', container: /^Ogg$/, codec: /^Vorbis/ },
  opus: { label: 'Ogg Opus', system: 'vorbis', writerMime: 'taglib/opus', container: /^Ogg$/, codec: /^Opus$/ },
  m4a: { label: 'MPEG-4 audio', system: 'mp4', writerMime: 'taglib/m4a', container: /^(M4A|M4B|mp4|isom|iso\d|mp42|mp41)\b/i, codec: /AAC|ALAC/ },
  wav: { label: 'WAV', system: 'id3v2', writerMime: 'taglib/wav', container: /^WAVE$/, codec: /^PCM$/ },
  aiff: { label: 'AIFF', system: 'id3v2', writerMime: 'taglib/aiff', container: /^AIFF/ },
};

/** The format of a file from what music-metadata found in its bytes (not its name). */
export function formatFromParse(container: string | undefined, codec: string | undefined): TagFormat | undefined {
  if (!container) return undefined;
  for (const f of tagFormats) {
    const row = formats[f];
    if (row.container.test(container) && (!row.codec || row.codec.test(codec ?? ''))) return f;
  }
  return undefined;
}

/** Which of Betti's field kinds a field name is. */
export type FieldRole = 'genre' | 'mood' | 'grouping' | 'custom';
export function roleOf(field: string): FieldRole {
  return field === GENRE ? 'genre' : field === MOOD ? 'mood' : field === GROUPING ? 'grouping' : 'custom';
}

const ITUNES_MEAN = 'com.apple.iTunes';

/** Where one field lives in one tag system. */
export type FieldLocation =
  | { readonly system: 'id3v2'; readonly kind: 'text'; readonly frame: 'TCON' | 'TMOO' | 'TIT1'; readonly joined: boolean }
  | { readonly system: 'id3v2'; readonly kind: 'txxx'; readonly description: string; readonly joined: boolean }
  | { readonly system: 'vorbis'; readonly key: string }
  | { readonly system: 'mp4'; readonly kind: 'atom'; readonly atom: '©gen' | '©grp' }
  | { readonly system: 'mp4'; readonly kind: 'freeform'; readonly mean: string; readonly name: string };

export function fieldLocation(system: TagSystem, field: string, id3Version: Id3Version): FieldLocation {
  const role = roleOf(field);
  switch (system) {
    case 'id3v2': {
      const joined = id3Version === '2.3'; // ID3v2.3 has no multi-valued text frames
      if (role === 'genre') return { system, kind: 'text', frame: 'TCON', joined };
      if (role === 'grouping') return { system, kind: 'text', frame: 'TIT1', joined };
      if (role === 'mood' && id3Version === '2.4') return { system, kind: 'text', frame: 'TMOO', joined };
      return { system, kind: 'txxx', description: field, joined }; // MOOD in 2.3 is TXXX:MOOD
    }
    case 'vorbis':
      return { system, key: field };
    case 'mp4':
      if (role === 'genre') return { system, kind: 'atom', atom: '©gen' };
      if (role === 'grouping') return { system, kind: 'atom', atom: '©grp' };
      return { system, kind: 'freeform', mean: ITUNES_MEAN, name: field };
  }
}

/**
 * Every place a field may already be stored, in the order the reader prefers them: the writer
 * clears all of them before writing the one `fieldLocation` names, so converting a file between
 * ID3v2.3 and 2.4 (or from iTunes' numeric `gnre`) never leaves a stale duplicate behind.
 */
export function fieldAliases(system: TagSystem, field: string): readonly string[] {
  const role = roleOf(field);
  switch (system) {
    case 'id3v2':
      if (role === 'genre') return ['TCON'];
      if (role === 'grouping') return ['TIT1'];
      if (role === 'mood') return ['TMOO', 'TXXX:MOOD'];
      return [`TXXX:${field}`];
    case 'vorbis':
      return [field];
    case 'mp4':
      if (role === 'genre') return ['©gen', 'gnre'];
      if (role === 'grouping') return ['©grp'];
      return [`----:${ITUNES_MEAN}:${field}`];
  }
}

/** The key music-metadata uses for a location in its native tags (for reading back). */
export function nativeId(loc: FieldLocation): string {
  if (loc.system === 'vorbis') return loc.key;
  if (loc.system === 'id3v2') return loc.kind === 'text' ? loc.frame : `TXXX:${loc.description}`;
  return loc.kind === 'atom' ? loc.atom : `----:${loc.mean}:${loc.name}`;
}

/** Vorbis field names are case-insensitive (Vorbis I spec §5.2.1); ID3 and MP4 names are not. */
export function sameNativeId(system: TagSystem, a: string, b: string): boolean {
  return system === 'vorbis' ? a.toUpperCase() === b.toUpperCase() : a === b;
}

// --- field names ------------------------------------------------------------------------------

/** Standard fields Betti never writes as a "custom" field (they have their own frames/keys). */
const RESERVED = new Set([
  'TITLE', 'ARTIST', 'ARTISTS', 'ALBUM', 'ALBUMARTIST', 'DATE', 'YEAR', 'TRACKNUMBER', 'TRACKTOTAL', 'DISCNUMBER',
  'DISCTOTAL', 'COMMENT', 'DESCRIPTION', 'COMPOSER', 'LYRICS', 'BPM', 'ENCODER', 'COPYRIGHT', 'ISRC', 'LABEL',
  'METADATA_BLOCK_PICTURE', 'COVERART', 'REPLAYGAIN_TRACK_GAIN', 'REPLAYGAIN_TRACK_PEAK', 'REPLAYGAIN_ALBUM_GAIN',
  'REPLAYGAIN_ALBUM_PEAK', 'VENDOR', 'ASIN', 'BARCODE', 'CATALOGNUMBER', 'SCRIPT', 'LICENSE', 'MEDIA', 'RELEASECOUNTRY',
  'RELEASESTATUS', 'RELEASETYPE', 'ORIGINALDATE', 'ORIGINALYEAR', 'LANGUAGE', 'WORK', 'KEY',
]);
/** Prefixes of standard families (MusicBrainz ids, ReplayGain, AcoustID) that players read. */
const RESERVED_PREFIX = /^(MUSICBRAINZ_|REPLAYGAIN_|ACOUSTID_|MUSICIP_|DISCOGS_)/;
/** A field name in Betti's form: upper-case letters, digits and _, starting with a letter, 1-64 characters. */
export const FIELD_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * A field name as a person may type it ("genre", " Mood ") in Betti's form (GENRE, MOOD). Betti
 * writes names upper case, and Vorbis keys are case-insensitive anyway, so the case someone types
 * carries no meaning; refusing "genre" would only be a chore.
 */
export function canonicalFieldName(name: string): string {
  return name.trim().toUpperCase();
}

/** Why a field name cannot be written (undefined when it can). */
export function fieldNameProblem(field: string): string | undefined {
  if (field === GENRE || field === MOOD || field === GROUPING) return undefined;
  if (!FIELD_NAME.test(field)) {
    return `field name "${field}" is not GENRE, MOOD, GROUPING or a custom name of 1-64 characters A-Z, 0-9, _ starting with a letter (Vorbis keys and iTunes names must be plain ASCII)`;
  }
  if (RESERVED.has(field) || RESERVED_PREFIX.test(field)) return `field name "${field}" is a standard field Betti does not write; use GENRE, MOOD or a custom name such as ${DEFAULT_CUSTOM_FIELD}`;
  return undefined;
}

// --- values -----------------------------------------------------------------------------------

/** Longer values are refused: no player shows them, and they bloat every copy of the tag. */
export const MAX_VALUE_CHARS = 100_000;
export const MAX_VALUES_PER_FIELD = 1_000;
const BEYOND_BMP = /[\u{10000}-\u{10FFFF}]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a value cannot be written to this format so that every reader gets it back unchanged
 * (undefined when it can). NUL is refused everywhere: ID3v2.4 uses it to separate values, and
 * Vorbis and MP4 readers written in C commonly stop at it, so a NUL never reads back the same.
 * Empty values are dropped by ID3 readers. Lone UTF-16 surrogates have no UTF-8 encoding.
 * ID3v2.3 text is Latin-1 or UCS-2 (no surrogate pairs), so characters beyond U+FFFF are refused
 * there. ID3v2.3 stores several values as one string joined by the separator, so a value holding the
 * separator would read back as two.
 */
export function valueProblem(value: string, system: TagSystem, id3Version: Id3Version, separator: string): string | undefined {
  if (value.length === 0) return 'an empty value cannot be stored (ID3 readers drop it)';
  if (value.includes('\0')) return 'the value contains a NUL character, which ID3v2 uses to separate values and many readers treat as the end of the text';
  if (LONE_SURROGATE.test(value)) return 'the value contains a lone UTF-16 surrogate, which has no UTF-8 or UTF-16 encoding a reader can decode';
  if (value.length > MAX_VALUE_CHARS) return `the value is ${value.length} characters long; Betti writes at most ${MAX_VALUE_CHARS}`;
  if (system === 'id3v2' && id3Version === '2.3' && BEYOND_BMP.test(value)) {
    return 'ID3v2.3 stores text as UCS-2, which cannot hold emoji or other characters beyond U+FFFF (readers such as exiftool show "??"); use ID3v2.4';
  }
  if (system === 'id3v2' && id3Version === '2.3' && separator && value.includes(separator)) {
    return `the value contains the ID3v2.3 separator ${JSON.stringify(separator)}, so it would read back as several values; change the separator in settings or use ID3v2.4`;
  }
  return undefined;
}

/** How values are stored in one location: several entries, or (ID3v2.3) one joined string. */
export function encodeValues(loc: FieldLocation, values: readonly string[], separator: string): string[] {
  if (loc.system === 'id3v2' && loc.joined) return values.length ? [values.join(separator)] : [];
  return [...values];
}

/**
 * The inverse of encodeValues for what a reader found at one location. ID3v2.4 separates values
 * with NUL in every text frame; music-metadata splits most frames but hands TIT1 over whole.
 */
export function decodeValues(loc: FieldLocation, stored: readonly string[], separator: string): string[] {
  if (loc.system === 'id3v2' && loc.joined && separator) return stored.flatMap((s) => s.split(separator));
  if (loc.system === 'id3v2') return stored.flatMap((s) => s.split('\0'));
  return [...stored];
}
