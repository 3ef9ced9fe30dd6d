// What Betti reads from a file around a write, with music-metadata (a parser independent of the
// writer): the file's format (from its bytes, not its name), the values of Betti's fields, and a
// summary of everything else a tag write must leave alone (other fields, pictures, other tag
// blocks such as ID3v1 or RIFF INFO). Previews show `values`; verification compares snapshots of
// the original and of the written temporary copy.
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type * as MusicMetadata from 'music-metadata';
import type { IAudioMetadata, ITag } from 'music-metadata';
import { TagReadError, UnsupportedFormatError } from './errors.ts';
import {
  decodeValues,
  fieldAliases,
  fieldLocation,
  formatFromParse,
  formats,
  sameNativeId,
  type Id3Version,
  type TagFormat,
  type TagSystem,
} from './fields.ts';

export interface TagSnapshot {
  readonly path: string;
  readonly format: TagFormat;
  readonly system: TagSystem;
  /** The version of the file's ID3v2 tag, when it has one. */
  readonly id3Version: '2.2' | '2.3' | '2.4' | undefined;
  /** The music-metadata tag type Betti writes to in this file (`ID3v2.4`, `vorbis`, `iTunes`). */
  readonly nativeType: string | undefined;
  /** Decoded values of one of Betti's fields (empty when absent). */
  values(field: string): string[];
  /** Everything else a write must not change, as a JSON-comparable object. */
  readonly preserved: Record<string, unknown>;
}

/** Extensions Betti recognises for a "wrong format" message before parsing. */
const AUDIO_EXTENSIONS = /^\.(mp3|flac|ogg|oga|opus|m4a|m4b|mp4|aac|wav|aif|aiff|aifc|wma|ape|wv|mpc|dsf|dff|mka|webm)$/i;

let mm: typeof MusicMetadata | undefined;
async function musicMetadata(): Promise<typeof MusicMetadata> {
  mm ??= await import('music-metadata');
  return mm;
}

/** Reads the file with music-metadata. Throws TagReadError / UnsupportedFormatError naming the file. */
export async function readSnapshot(path: string, separator: string): Promise<TagSnapshot> {
  const { parseFile } = await musicMetadata();
  let meta: IAudioMetadata;
  try {
    meta = await parseFile(path, { duration: false, skipCovers: false });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw err; // file-system errors are reported by the caller with the step they hit
    throw new TagReadError(`Cannot read the tags of ${path}: ${(err as Error).message}`, {
      path,
      where: 'parse',
      hint: 'The file may be damaged or not audio; check it plays, or remove it from the plan.',
      cause: err,
    });
  }
  const format = formatFromParse(meta.format.container, meta.format.codec);
  if (!format) {
    const what = meta.format.container ? `${meta.format.container}${meta.format.codec ? ` / ${meta.format.codec}` : ''}` : 'not recognisable audio';
    const unknown = !meta.format.container;
    const Err = unknown && !AUDIO_EXTENSIONS.test(extname(path)) ? TagReadError : UnsupportedFormatError;
    throw new Err(`${path} is ${what}; Betti writes tags to MP3, FLAC, Ogg Vorbis, Opus, M4A (AAC/ALAC), WAV and AIFF only.`, {
      path,
      format: meta.format.container,
      where: 'format',
      hint: unknown ? 'The file is not audio Betti can read; check it plays.' : 'Use another tagger for this format, or convert the file.',
    });
  }
  return buildSnapshot(path, format, meta, separator);
}

function id3VersionOf(tagTypes: readonly string[]): TagSnapshot['id3Version'] {
  for (const v of ['2.4', '2.3', '2.2'] as const) if (tagTypes.includes(`ID3v${v}`)) return v;
  return undefined;
}

function nativeTypeOf(system: TagSystem, tagTypes: readonly string[]): string | undefined {
  if (system === 'vorbis') return tagTypes.includes('vorbis') ? 'vorbis' : undefined;
  if (system === 'mp4') return tagTypes.includes('iTunes') ? 'iTunes' : undefined;
  const v = id3VersionOf(tagTypes);
  return v ? `ID3v${v}` : undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && 'text' in value && typeof (value as { text: unknown }).text === 'string') return (value as { text: string }).text;
  return undefined;
}

function buildSnapshot(path: string, format: TagFormat, meta: IAudioMetadata, separator: string): TagSnapshot {
  const system = formats[format].system;
  const tagTypes = meta.format.tagTypes as string[];
  const id3Version = system === 'id3v2' ? id3VersionOf(tagTypes) : undefined;
  const nativeType = nativeTypeOf(system, tagTypes);
  const tags: ITag[] = nativeType ? (meta.native[nativeType] ?? []) : [];
  // The version whose layout the file's own frames follow (2.2 frames are read as 2.3 ones).
  const fileVersion: Id3Version = id3Version === '2.4' ? '2.4' : '2.3';

  const values = (field: string): string[] => {
    if (system === 'id3v2' && id3Version === '2.2') return []; // refused before writing: see planFile (plan.ts)
    const loc = fieldLocation(system, field, fileVersion);
    // Read the canonical place first, then the aliases (e.g. TXXX:MOOD in an ID3v2.4 file).
    for (const id of fieldAliases(system, field)) {
      const found = tags.filter((t) => sameNativeId(system, t.id, id)).map((t) => textOf(t.value));
      const stored = found.filter((v): v is string => v !== undefined);
      if (stored.length === 0) continue;
      if (id === 'gnre') return stored; // iTunes' numeric genre: music-metadata names it
      const here = id === 'TXXX:MOOD' && fileVersion === '2.4' ? { ...loc, joined: false } : loc;
      return decodeValues(here, stored, separator);
    }
    return [];
  };

  return { path, format, system, id3Version, nativeType, values, preserved: preservedOf(meta, nativeType) };
}

/**
 * The parts of a parse that a write of GENRE/MOOD/custom fields must not change: every common
 * field except genre and mood (checked field by field instead), the pictures (by hash), and the
 * native tags of every tag block Betti does not write (ID3v1, RIFF INFO, AIFF text chunks, APE).
 */
function preservedOf(meta: IAudioMetadata, writtenType: string | undefined): Record<string, unknown> {
  const { genre: _genre, mood: _mood, picture, ...common } = meta.common;
  // ID3v2.3 keeps the year in TYER (music-metadata: year only), ID3v2.4 in TDRC (year and date):
  // a date that only repeats the year says nothing more, so a version change does not count.
  if (common.date !== undefined && common.date === String(common.year)) delete common.date;
  if (common.originaldate !== undefined && common.originaldate === String(common.originalyear)) delete common.originaldate;
  const pictures = (picture ?? []).map((p) => ({
    format: p.format,
    type: p.type,
    description: p.description,
    bytes: p.data.length,
    sha256: createHash('sha256').update(p.data).digest('hex'),
  }));
  const otherBlocks: Record<string, unknown> = {};
  for (const [type, tags] of Object.entries(meta.native)) {
    if (type === writtenType || /^ID3v2\.\d$/.test(type)) continue; // the block Betti writes (in any version)
    otherBlocks[type] = tags.map((t) => [t.id, textOf(t.value) ?? JSON.stringify(t.value)]);
  }
  return JSON.parse(JSON.stringify({ common, pictures, otherBlocks })) as Record<string, unknown>;
}

/** Names of the top-level and nested keys whose values differ between two `preserved` objects. */
export function preservedDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, at: string) => {
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
      return;
    }
    out.push(at);
  };
  walk(a, b, '');
  return out;
}
