// A track as the library knows it: what one read of one file found (TrackRecord) and what the
// database adds (TrackRow). The scan, the tag writer and the API all speak these types.
import type { ErrorKind } from '../api/errors.ts';
import type { ContainerFormat } from './audio-payload.ts';

/**
 * What this Betti reads from a file, as a number stored with each row it writes. Raise it when a
 * new version reads more from the same bytes (a field, a better value): the next scan then reads
 * again the rows an older reader wrote, unchanged files included, so a library shows what this
 * version reads without anyone touching their files. 1: the lossless flag by codec and the bitrate
 * from the audio payload where music-metadata has none (read-track.ts). 2: the tags of FLAC in
 * Ogg; WMA's sample rate, channels and multi-valued fields in order; the duration of raw AAC and of
 * VBR MP3 without a Xing header; ID3v2.3 artists with a slash kept whole; tempos with their
 * fraction; ID3v2 over APEv2 (migration 0140 marks the rows of every other file as read by 2).
 * 3: a Vorbis comment's YEAR where there is no DATE (migration 0150). Rows from before 1 have 0.
 */
export const READER_VERSION = 3;

/** The tags the library sorts, filters and shows; multi-valued fields are arrays. */
export interface TrackTags {
  title: string | null;
  /** Display artist: the artist field, or every artist joined with "; " when there are several. */
  artist: string | null;
  artists: string[];
  album: string | null;
  albumArtist: string | null;
  trackNo: number | null;
  trackTotal: number | null;
  discNo: number | null;
  discTotal: number | null;
  year: number | null;
  genres: string[];
  mood: string | null;
  bpm: number | null;
  comment: string | null;
}

/** Facts about the audio stream and the file's tag formats. */
export interface TrackAudio {
  /** User-facing format name (mp3, aac, flac, ogg, opus, m4a, wav, aiff, wma, ape, wavpack), null when unknown. */
  format: string | null;
  /** The container as music-metadata names it, e.g. "M4A/isom/iso2". */
  containerName: string | null;
  codec: string | null;
  durationS: number | null;
  sampleRate: number | null;
  channels: number | null;
  bitrate: number | null;
  bitsPerSample: number | null;
  lossless: boolean | null;
  /** Tag formats present, e.g. ["ID3v2.4", "ID3v1"], ["Vorbis"], ["RIFF INFO"]. */
  tagTypes: string[];
  hasPicture: boolean;
}

/** Everything the reader found, JSON-safe: music-metadata's common tags and the native frames per tag format. */
export interface RawTags {
  common: Record<string, unknown>;
  native: Record<string, { id: string; value: unknown }[]>;
}

/** Why a file could not be read; stored with the file, shown in the scan summary. */
export interface TrackFileError {
  kind: ErrorKind;
  message: string;
  /** The system error code (ENOENT, EACCES…) when the failure came from the file system. */
  code?: string;
}

/** What one read of one file produced (library/read-track.ts). */
export interface TrackRecord {
  path: string;
  size: number;
  mtimeMs: number;
  /** Sampled hash of the audio payload: the identity that survives moves and retagging. */
  fingerprint: string | null;
  container: ContainerFormat;
  audio: TrackAudio;
  tags: TrackTags;
  raw: RawTags;
  /** Non-fatal oddities (a tag frame that did not decode, no fingerprint…). */
  warnings: string[];
  error: TrackFileError | null;
}

/** A track in the library database. */
export interface TrackRow extends TrackRecord {
  id: number;
  /** The file was not found by the last scan of its folder; its row and analyses are kept. */
  missing: boolean;
  addedAt: number;
  scannedAt: number;
}

export function emptyTags(): TrackTags {
  return {
    title: null,
    artist: null,
    artists: [],
    album: null,
    albumArtist: null,
    trackNo: null,
    trackTotal: null,
    discNo: null,
    discTotal: null,
    year: null,
    genres: [],
    mood: null,
    bpm: null,
    comment: null,
  };
}

export function emptyAudio(): TrackAudio {
  return {
    format: null,
    containerName: null,
    codec: null,
    durationS: null,
    sampleRate: null,
    channels: null,
    bitrate: null,
    bitsPerSample: null,
    lossless: null,
    tagTypes: [],
    hasPicture: false,
  };
}

/** The record of a file that could not be read: what the walk saw, and why reading failed. */
export function failedTrackRecord(file: { path: string; size: number; mtimeMs: number }, error: TrackFileError): TrackRecord {
  return {
    path: file.path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    fingerprint: null,
    container: 'unknown',
    audio: emptyAudio(),
    tags: emptyTags(),
    raw: { common: {}, native: {} },
    warnings: [],
    error,
  };
}
