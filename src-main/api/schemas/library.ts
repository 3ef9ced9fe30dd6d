// Contract part: the music library (scan, list, one track). Shapes are designed for the library
// table of the UI: a page of rows with the columns it shows, sortable and filterable, and paged
// so 100,000 tracks never cross the boundary at once.
import { z } from 'zod';
import { errorKinds } from '../errors.ts';
import { formatNames } from '../../library/format-names.ts';
import { trackSorts } from '../../library/db/queries/tracks.ts';
import { method } from './define.ts';

export const containerFormats = ['mp3', 'flac', 'ogg', 'mp4', 'wav', 'aiff', 'ape', 'wavpack', 'asf', 'unknown'] as const;

export const TrackTags = z.object({
  title: z.string().nullable(),
  artist: z.string().nullable(),
  artists: z.array(z.string()),
  album: z.string().nullable(),
  albumArtist: z.string().nullable(),
  trackNo: z.number().nullable(),
  trackTotal: z.number().nullable(),
  discNo: z.number().nullable(),
  discTotal: z.number().nullable(),
  year: z.number().nullable(),
  genres: z.array(z.string()),
  mood: z.string().nullable(),
  bpm: z.number().nullable(),
  comment: z.string().nullable(),
});

export const TrackAudio = z.object({
  format: z.string().nullable(),
  containerName: z.string().nullable(),
  codec: z.string().nullable(),
  durationS: z.number().nullable(),
  sampleRate: z.number().nullable(),
  channels: z.number().nullable(),
  bitrate: z.number().nullable(),
  bitsPerSample: z.number().nullable(),
  lossless: z.boolean().nullable(),
  tagTypes: z.array(z.string()),
  hasPicture: z.boolean(),
});

export const TrackError = z.object({ kind: z.enum(errorKinds), message: z.string(), code: z.string().optional() });

/** One row of the library table. */
export const TrackSummary = z.object({
  id: z.number().int(),
  path: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  fingerprint: z.string().nullable(),
  container: z.enum(containerFormats),
  audio: TrackAudio,
  tags: TrackTags,
  warnings: z.array(z.string()),
  error: TrackError.nullable(),
  missing: z.boolean(),
  addedAt: z.number(),
  scannedAt: z.number(),
});
export type TrackSummary = z.infer<typeof TrackSummary>;

/** One track with everything its tags hold (the inspector). */
export const Track = TrackSummary.extend({
  raw: z.object({
    common: z.record(z.string(), z.unknown()),
    native: z.record(z.string(), z.array(z.object({ id: z.string(), value: z.unknown() }))),
  }),
});
export type Track = z.infer<typeof Track>;

export const ScanRequest = z
  .object({ folders: z.array(z.string().min(1, 'a folder path cannot be empty')).min(1, 'name at least one folder to scan') })
  .strict();

export const ScanFileError = z.object({ path: z.string(), kind: z.enum(errorKinds), message: z.string() });
export type ScanFileError = z.infer<typeof ScanFileError>;

export const ScanSummary = z.object({
  /** Audio files found. */
  scanned: z.number().int(),
  new: z.number().int(),
  changed: z.number().int(),
  moved: z.number().int(),
  /** Known files not found any more, marked missing by this scan. */
  missing: z.number().int(),
  /** Files (and folders) that could not be read in this scan. */
  errors: z.number().int(),
  unchanged: z.number().int(),
  /** Of the unchanged files, those read again only because an older version of Betti had read them (track.ts READER_VERSION). */
  refreshed: z.number().int(),
  durationMs: z.number(),
  cancelled: z.boolean(),
  errorFiles: z.array(ScanFileError),
});
export type ScanSummary = z.infer<typeof ScanSummary>;

export const ScanProgress = z.object({
  done: z.number().int(),
  total: z.number().int(),
  path: z.string(),
  phase: z.enum(['walk', 'read', 'finish']),
});
export type ScanProgress = z.infer<typeof ScanProgress>;

export const ListRequest = z
  .object({
    formats: z.array(z.enum(formatNames)).optional(),
    missing: z.boolean().optional(),
    hasErrors: z.boolean().optional(),
    /** true: analysed for the audio the file has now; false: not (yet, or not since it changed). */
    analysed: z.boolean().optional(),
    /** true: suggestions wait for a decision; false: none do. */
    hasSuggestions: z.boolean().optional(),
    /** A tag the track has (ASCII case ignored): a genre or the mood in its file, or a pending or accepted suggestion. */
    tag: z.string().trim().min(1, 'a tag cannot be empty').max(200).optional(),
    search: z.string().max(500).optional(),
    under: z.string().min(1).optional(),
    sort: z.enum(trackSorts).default('artist'),
    descending: z.boolean().default(false),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const ListResponse = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  tracks: z.array(TrackSummary),
});
export type ListResponse = z.infer<typeof ListResponse>;

export const libraryMethods = {
  'library.scan': method({
    summary: 'Scan folders for audio: read new and changed files, recognise moved ones, mark deleted ones missing.',
    request: ScanRequest,
    response: ScanSummary,
  }),
  'library.cancelScan': method({
    summary: 'Stop the running scan; what it read so far is kept.',
    request: z.object({}).strict(),
    response: z.object({ cancelled: z.boolean() }),
  }),
  'library.list': method({
    summary: 'One page of library tracks, filtered (format, missing, errors, analysed, suggestions to review, tag, text, folder) and sorted.',
    request: ListRequest,
    response: ListResponse,
  }),
  'library.track': method({
    summary: 'One track with every field and tag Betti read.',
    request: z.object({ id: z.number().int().positive() }).strict(),
    response: Track,
  }),
};

export const libraryEvents = {
  'scan.progress': ScanProgress,
};
