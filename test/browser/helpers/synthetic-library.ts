// A large library database made without audio files: rows written straight through the library's
// query layer (upsertTrack) in one transaction, for the 100,000-track UI test and bench/ui. The
// values are deterministic (a seeded generator), so two runs draw the same table.
import { openLibraryDb } from '../../../src-main/library/db/open.ts';
import { upsertTrack } from '../../../src-main/library/db/queries/tracks.ts';
import type { TrackRecord } from '../../../src-main/library/track.ts';
import { seededRandom } from '../../helpers/random.ts';

const ARTISTS = ['Aurora Lane', 'The Quiet Engines', 'Mara Ostrova', 'Kofi & the Tides', 'Nils Berg Trio', 'Sable', 'Juniper Fold', 'Ito Hana', 'Delta Nine', 'Los Faroles'];
const WORDS = ['Blue', 'Morning', 'Static', 'River', 'Glass', 'Echo', 'North', 'Velvet', 'Ember', 'Signal', 'Paper', 'Orbit', 'Hollow', 'Summer', 'Night'];
const GENRES = ['Jazz', 'Electronic', 'Folk', 'Classical', 'Rock', 'Ambient', 'Hip-Hop', 'Soul'];
const FORMATS: [TrackRecord['container'], string, string][] = [
  ['mp3', 'mp3', 'MPEG'],
  ['flac', 'flac', 'FLAC'],
  ['ogg', 'ogg', 'Ogg'],
  ['mp4', 'm4a', 'M4A/isom/iso2'],
];

function syntheticTrack(i: number, rnd: () => number, root: string): TrackRecord {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const artist = pick(ARTISTS);
  const album = `${pick(WORDS)} ${pick(WORDS)}`;
  const title = `${pick(WORDS)} ${pick(WORDS)} ${i}`;
  const [container, format, containerName] = pick(FORMATS);
  const genre = pick(GENRES);
  return {
    path: `${root}/${artist}/${album}/${String(i).padStart(6, '0')} ${title}.${format}`,
    size: 3_000_000 + Math.floor(rnd() * 7_000_000),
    mtimeMs: 1_700_000_000_000 + i * 1000,
    fingerprint: `synthetic-${i}`,
    container,
    audio: {
      format,
      containerName,
      codec: null,
      durationS: 90 + Math.floor(rnd() * 300),
      sampleRate: 44100,
      channels: 2,
      bitrate: 256000,
      bitsPerSample: null,
      lossless: format === 'flac',
      tagTypes: [],
      hasPicture: false,
    },
    tags: {
      title,
      artist,
      artists: [artist],
      album,
      albumArtist: artist,
      trackNo: 1 + (i % 12),
      trackTotal: 12,
      discNo: null,
      discTotal: null,
      year: 1960 + Math.floor(rnd() * 64),
      genres: [genre],
      mood: null,
      bpm: null,
      comment: null,
    },
    raw: { common: {}, native: {} },
    warnings: [],
    error: null,
  };
}

/** Writes `count` synthetic tracks into the library database at `dbPath` (created and migrated). */
export function makeSyntheticLibrary(dbPath: string, count: number, opts: { seed?: number; root?: string } = {}): void {
  const db = openLibraryDb(dbPath);
  try {
    const rnd = seededRandom(opts.seed ?? 1);
    const root = opts.root ?? '/synthetic/music';
    const now = Date.now();
    db.transaction(() => {
      for (let i = 0; i < count; i++) upsertTrack(db, syntheticTrack(i, rnd, root), now);
    });
  } finally {
    db.close();
  }
}
