// Reads one file into a TrackRecord: stat, tags and stream facts (music-metadata, and where it
// leaves them out, Betti's own readers: ogg-duration.ts, ogg-flac-header.ts,
// raw-stream-duration.ts), and the fingerprint of its audio payload. A file that cannot be read is
// a record with `error` set, never an exception: the scan stores it and goes on.
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type * as MusicMetadataModule from 'music-metadata';
import type { IAudioMetadata } from 'music-metadata';
import { BettiError, type ErrorKind } from '../api/errors.ts';
import { hashAudioPayloadIn, locateAudioPayloadIn, MalformedPayloadError, type AudioPayload, type ContainerFormat } from './audio-payload.ts';
import { bufferSource, openFileSource, type ByteSource } from './byte-source.ts';
import { ByteSourceTokenizer } from './byte-source-tokenizer.ts';
import { oggDurationFromLastPage } from './ogg-duration.ts';
import { oggFlacHeader } from './ogg-flac-header.ts';
import { rawStreamTiming } from './raw-stream-duration.ts';
import { formatName, tagTypeName } from './format-names.ts';
import { fsMessage } from './fs-errors.ts';
import { MAX_TEXT, rawTagsOf } from './raw-tags.ts';
import { emptyAudio, emptyTags, failedTrackRecord, type TrackAudio, type TrackFileError, type TrackRecord, type TrackTags } from './track.ts';

/**
 * Files up to this size are read whole and parsed from memory: for small files, the many small
 * reads of a parse cost more than reading all of it at once.
 */
const WHOLE_FILE_LIMIT = 2 * 1024 * 1024;
/** Most music-metadata warnings kept per file. */
const MAX_WARNINGS = 20;

type MusicMetadata = typeof MusicMetadataModule;
let mmModule: Promise<MusicMetadata> | undefined;
// Loaded on first use so `betti --help` does not pay for it.
const musicMetadata = (): Promise<MusicMetadata> => (mmModule ??= import('music-metadata'));

/** Loads the tag reader ahead of the first file (a read worker does so while the walk goes on). */
export async function loadTagReader(): Promise<void> {
  await musicMetadata();
}

export interface ReadTrackOptions {
  /** The file's stat from the walk, when the caller has one (saves a syscall). */
  stat?: { size: number; mtimeMs: number };
  /**
   * Read with blocking calls: for a thread that does nothing else, the scan's read workers, where
   * they are several times faster for a large file's many small reads (byte-source.ts). Otherwise
   * every read goes through the thread pool, so a slow disk or network share never holds up the
   * caller (the app's main process); for the small files read whole this costs nothing (a scan
   * of 400 one-second files on the calling thread: 0.36–0.38 s either way).
   */
  blockingReads?: boolean;
}

export async function readTrackFile(path: string, opts: ReadTrackOptions = {}): Promise<TrackRecord> {
  let size: number;
  let mtimeMs: number;
  try {
    if (opts.stat) {
      ({ size, mtimeMs } = opts.stat);
    } else {
      const st = await stat(path);
      if (!st.isFile()) return failed(path, 0, 0, 'io', `${path}: not a regular file`);
      ({ size, mtimeMs } = st);
    }
  } catch (err) {
    return failed(path, 0, 0, 'io', fsMessage(path, err), (err as NodeJS.ErrnoException).code);
  }
  if (size === 0) return failed(path, 0, mtimeMs, 'unsupported-format', `${path}: the file is empty (0 bytes)`);

  let source: ByteSource;
  let close = async (): Promise<void> => {};
  let whole: Buffer | undefined;
  try {
    if (size <= WHOLE_FILE_LIMIT) {
      whole = opts.blockingReads === true ? readFileSync(path) : await readFile(path);
      source = bufferSource(whole);
    } else {
      const fs = await openFileSource(path, { blocking: opts.blockingReads === true });
      source = fs;
      close = () => fs.close();
    }
  } catch (err) {
    return failed(path, size, mtimeMs, 'io', fsMessage(path, err), (err as NodeJS.ErrnoException).code);
  }

  try {
    const warnings = new Set<string>();
    // The payload walk sniffs the container from the content; music-metadata is then told the
    // real type, since it would otherwise trust the extension (a FLAC named .mp3 is still FLAC).
    const payload = await fingerprintOf(source, path);
    let meta = await parseTags(path, whole, source, MIME_OF[payload.container]);
    if (meta.ok && payload.container === 'ogg') meta = { ok: true, value: await withOggFlacTags(path, source, meta.value, warnings) };
    const record: TrackRecord = {
      path,
      size: source.size,
      mtimeMs,
      fingerprint: payload.ok ? payload.fingerprint : null,
      container: payload.ok ? payload.container : 'unknown',
      audio: emptyAudio(),
      tags: emptyTags(),
      raw: { common: {}, native: {} },
      warnings: [],
      error: null,
    };
    if (meta.ok) {
      record.audio = audioOf(meta.value, record.container);
      if (record.container === 'ogg' && record.audio.durationS === null) {
        // Best effort: a file that fails to read here has its error reported by the parts above.
        record.audio.durationS = await oggDurationFromLastPage(source, record.audio.sampleRate).catch(() => null);
      }
      if (record.container === 'mp3' && record.audio.durationS === null && payload.ok && payload.located.segments.length === 1) {
        // A raw ADTS stream, or an MP3 of variable bitrate without a Xing header: music-metadata
        // has no duration for it without reading every frame, and a bitrate from the first alone.
        const [stream] = payload.located.segments;
        const kind = record.audio.format === 'aac' ? 'adts' : 'mpeg';
        const timing = await rawStreamTiming(source, kind, stream!.offset, stream!.offset + stream!.length).catch(() => null);
        if (timing) [record.audio.durationS, record.audio.bitrate] = [timing.seconds, timing.bitrate];
      }
      if (record.audio.bitrate === null && payload.ok && record.audio.durationS) {
        // music-metadata has none where it stops reading early (a long Opus file, FLAC in Ogg):
        // the audio stream's own bytes (the payload: no container framing, no tags) per second.
        record.audio.bitrate = (8 * payload.located.length) / record.audio.durationS;
      }
      record.tags = capTexts(tagsOf(meta.value), warnings);
      record.raw = rawTagsOf(meta.value, warnings);
      for (const w of parserWarnings(meta.value.quality.warnings.map((x) => x.message))) if (warnings.size < MAX_WARNINGS) warnings.add(w);
      const hasAudio = record.audio.codec !== null || record.audio.sampleRate !== null || record.audio.durationS !== null;
      if (!payload.ok) {
        // A damaged container is an error even when music-metadata got something out of its
        // headers; a container Betti cannot fingerprint but music-metadata reads (Matroska, DSF…) is not.
        if (hasAudio && !payload.malformed) {
          warnings.add(`no fingerprint: ${payload.error.message}`);
        } else {
          record.error = payload.error;
          if (!hasAudio) record.audio = { ...emptyAudio(), format: formatName(record.container, null, null) };
        }
      }
    } else {
      // Both failed. On a damaged container the payload walker says where and why more precisely;
      // on bytes of no container it knows, it says so in words, where music-metadata, guessing a
      // parser from the extension, reports what that parser tripped on ("FourCC contains invalid
      // characters").
      record.error = !payload.ok && (payload.malformed || payload.error.kind === 'unsupported-format') ? payload.error : meta.error;
      record.audio.format = formatName(record.container, null, null);
    }
    record.warnings = [...warnings];
    return record;
  } finally {
    await close();
  }
}

/**
 * music-metadata 11 parses only the first page of FLAC in Ogg, so its Vorbis comment and pictures
 * go unread: they are read from the stream's header packets as a native FLAC header instead
 * (ogg-flac-header.ts), with the tag mapping of every .flac file. The stream facts stay the Ogg parse's.
 */
async function withOggFlacTags(path: string, source: ByteSource, value: IAudioMetadata, warnings: Set<string>): Promise<IAudioMetadata> {
  if (value.format.codec !== 'FLAC' || value.format.tagTypes.length > 0) return value;
  const header = await oggFlacHeader(source).catch(() => null);
  const flac = header ? await parseTags(path, header, bufferSource(header), 'audio/flac') : undefined;
  if (!flac?.ok) {
    warnings.add('the tags of this FLAC-in-Ogg file could not be read: its header packets are not the FLAC mapping music-metadata and Betti know');
    return value;
  }
  return { ...value, common: flac.value.common, native: flac.value.native, format: { ...value.format, tagTypes: flac.value.format.tagTypes } };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: TrackFileError };

/** The MIME type music-metadata picks its parser by, per sniffed container. */
const MIME_OF: Record<ContainerFormat, string | undefined> = {
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  mp4: 'audio/mp4',
  wav: 'audio/wav',
  aiff: 'audio/aiff',
  ape: 'audio/ape',
  wavpack: 'audio/wavpack',
  asf: 'audio/ms-asf',
  unknown: undefined,
};

async function parseTags(path: string, whole: Buffer | undefined, source: ByteSource, mimeType: string | undefined): Promise<Outcome<IAudioMetadata>> {
  const mm = await musicMetadata();
  const fileInfo = mimeType ? { path, size: source.size, mimeType } : { path, size: source.size };
  try {
    // Not parseFile: it picks the parser by extension, and reads token by token. The sniffed type
    // goes with the bytes; a large file is read through the payload walk's cached blocks, with
    // random access (for ID3v1/APEv2 at the end).
    const value = whole ? await mm.parseBuffer(whole, fileInfo) : await mm.parseFromTokenizer(new ByteSourceTokenizer(source, fileInfo));
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: tagReadError(path, err, mm) };
  }
}

function tagReadError(path: string, err: unknown, mm: MusicMetadata): TrackFileError {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof mm.CouldNotDetermineFileTypeError || err instanceof mm.UnsupportedFileTypeError) {
    return { kind: 'unsupported-format', message: `${path}: not an audio format Betti can read (${msg})` };
  }
  if (err instanceof Error && err.name === 'EndOfStreamError') {
    return { kind: 'tag-read-failed', message: `${path}: the file ends in the middle of its tags or headers (truncated?)` };
  }
  if (err instanceof RangeError) {
    return { kind: 'tag-read-failed', message: `${path}: a tag is malformed (one of its fields runs past the end of its block: ${msg})` };
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code) return { kind: 'io', message: fsMessage(path, err), code };
  return { kind: 'tag-read-failed', message: `${path}: the tags could not be read: ${msg}` };
}

type PayloadOutcome =
  | { ok: true; fingerprint: string; container: ContainerFormat; located: AudioPayload }
  | { ok: false; container: ContainerFormat; malformed: boolean; error: TrackFileError };

async function fingerprintOf(src: ByteSource, path: string): Promise<PayloadOutcome> {
  try {
    const payload = await locateAudioPayloadIn(src, path);
    return { ok: true, fingerprint: await hashAudioPayloadIn(src, payload, 'sampled'), container: payload.container, located: payload };
  } catch (err) {
    const malformed = err instanceof MalformedPayloadError;
    const container = malformed ? err.container : 'unknown';
    if (err instanceof BettiError) return { ok: false, container, malformed, error: { kind: err.kind, message: err.message.startsWith(path) ? err.message : `${path}: ${err.message}` } };
    return { ok: false, container, malformed, error: { kind: 'internal', message: `${path}: ${(err as Error).message}` } };
  }
}

/**
 * music-metadata's warnings minus one that says nothing about the file: its WAV parser compares a
 * chunk's size with what remains after subtracting that same chunk, so every WAV "exceeds file
 * size" (Betti checks WAV sizes itself, in payload/riff.ts). (Version 11 also walked ID3v2 padding
 * as frames, a warning per padding byte: patches/music-metadata+*.patch stops it at the padding.)
 */
function parserWarnings(messages: string[]): string[] {
  return messages.filter((m) => m !== 'Data chunk size exceeds file size');
}

const text = (v: string | undefined | null): string | null => {
  if (v === undefined || v === null) return null;
  const t = v.replace(/\0+$/, '');
  return t.length > 0 ? t : null;
};
const num = (v: number | undefined | null): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const texts = (vs: readonly (string | undefined | null)[] | undefined): string[] => (vs ?? []).map(text).filter((v): v is string => v !== null);

/** The year of a date tag ("2019", "2019-05-01", "2019/05"), else music-metadata's year. */
function yearOf(date: string | undefined, year: number | undefined): number | null {
  const m = date ? /^\s*(\d{4})/.exec(date) : null;
  if (m) return Number(m[1]);
  return num(year);
}

/**
 * A Vorbis comment's YEAR, which some taggers write instead of the standard DATE and which
 * music-metadata does not map (APE's Year and WMA's WM/Year it does). mutagen keeps it like any field.
 */
function vorbisYear(meta: IAudioMetadata): number | null {
  const field = meta.native['vorbis']?.find((f) => f.id === 'YEAR'); // music-metadata upper-cases Vorbis field names
  return typeof field?.value === 'string' ? yearOf(field.value, undefined) : null;
}

/**
 * ID3v2.3 has no mood frame; Picard (and Betti's writer) use TXXX:MOOD, which music-metadata
 * keeps as a native frame but does not map to the common mood.
 */
function id3v23Mood(meta: IAudioMetadata): string | null {
  for (const [type, frames] of Object.entries(meta.native)) {
    if (!type.startsWith('ID3v2')) continue;
    const frame = frames.find((f) => f.id.toUpperCase() === 'TXXX:MOOD');
    if (frame && typeof frame.value === 'string') return text(frame.value);
  }
  return null;
}

function tagsOf(meta: IAudioMetadata): TrackTags {
  const c = meta.common;
  const artists = texts(c.artists);
  if (artists.length === 0 && text(c.artist)) artists.push(text(c.artist)!);
  const comments = c.comment ?? [];
  const comment = comments.find((x) => !x.descriptor) ?? comments[0];
  return {
    title: text(c.title),
    artist: artists.length > 1 ? artists.join('; ') : (text(c.artist) ?? artists[0] ?? null),
    artists,
    album: text(c.album),
    albumArtist: text(c.albumartist),
    trackNo: num(c.track.no),
    trackTotal: num(c.track.of),
    discNo: num(c.disk.no),
    discTotal: num(c.disk.of),
    year: yearOf(c.date, c.year) ?? vorbisYear(meta),
    genres: texts(c.genre),
    mood: text(c.mood) ?? id3v23Mood(meta),
    bpm: num(c.bpm),
    comment: text(comment?.text),
  };
}

/** Cuts absurdly long tag texts (a hostile or broken tag can hold megabytes) and says so. */
function capTexts(tags: TrackTags, warnings: Set<string>): TrackTags {
  const cap = (field: string, v: string | null): string | null => {
    if (v === null || v.length <= MAX_TEXT) return v;
    warnings.add(`${field}: a ${v.length}-character value was cut to ${MAX_TEXT} characters`);
    return v.slice(0, MAX_TEXT);
  };
  return {
    ...tags,
    title: cap('title', tags.title),
    artist: cap('artist', tags.artist),
    artists: tags.artists.map((a) => cap('artist', a)!),
    album: cap('album', tags.album),
    albumArtist: cap('album artist', tags.albumArtist),
    genres: tags.genres.map((g) => cap('genre', g)!),
    mood: cap('mood', tags.mood),
    comment: cap('comment', tags.comment),
  };
}

/**
 * Whether a codec is lossless, for the parsers that do not say (music-metadata's Ogg and ASF
 * ones): Vorbis, Opus and Speex are lossy, FLAC is not, and of the Windows Media codecs only
 * "Windows Media Audio 9 Lossless" is lossless. Null for a codec not named here.
 */
function losslessCodec(codec: string | null): boolean | null {
  const c = (codec ?? '').toLowerCase();
  if (c.startsWith('vorbis') || c.startsWith('opus') || c.startsWith('speex')) return false;
  if (c.startsWith('flac')) return true;
  if (c.startsWith('windows media audio')) return c.includes('lossless');
  return null;
}

function audioOf(meta: IAudioMetadata, container: ContainerFormat): TrackAudio {
  const f = meta.format;
  const containerName = f.container ?? null;
  const codec = f.codec ?? null;
  return {
    format: formatName(container, containerName, codec),
    containerName,
    codec,
    durationS: num(f.duration),
    sampleRate: num(f.sampleRate),
    channels: num(f.numberOfChannels),
    bitrate: num(f.bitrate),
    bitsPerSample: num(f.bitsPerSample),
    lossless: f.lossless ?? losslessCodec(codec),
    tagTypes: [...new Set(f.tagTypes.map(tagTypeName))],
    hasPicture: (meta.common.picture?.length ?? 0) > 0,
  };
}

function failed(path: string, size: number, mtimeMs: number, kind: ErrorKind, message: string, code?: string): TrackRecord {
  return failedTrackRecord({ path, size, mtimeMs }, code ? { kind, message, code } : { kind, message });
}
