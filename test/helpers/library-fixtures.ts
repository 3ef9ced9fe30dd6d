// Tagged audio files in every format the library scans, made by ffmpeg and tagged by ffmpeg or by
// python3-mutagen, plus mutagen as the independent reader the library tests compare against.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpeg } from './ffmpeg-fixtures.ts';

const mutagenScript = fileURLToPath(new URL('./mutagen_tags.py', import.meta.url));

/** A format the scan must read: how ffmpeg encodes it and the extension it gets. */
export interface FixtureFormat {
  ext: string;
  codec: string[];
  /** The library's user-facing format name for it. */
  format: string;
}

export const fixtureFormats: Record<string, FixtureFormat> = {
  mp3: { ext: 'mp3', codec: ['-c:a', 'libmp3lame', '-b:a', '64k'], format: 'mp3' },
  flac: { ext: 'flac', codec: ['-c:a', 'flac'], format: 'flac' },
  ogg: { ext: 'ogg', codec: ['-c:a', 'libvorbis', '-q:a', '0'], format: 'ogg' },
  opus: { ext: 'opus', codec: ['-c:a', 'libopus', '-b:a', '32k'], format: 'opus' },
  oga: { ext: 'oga', codec: ['-c:a', 'flac', '-f', 'ogg'], format: 'ogg' },
  m4a: { ext: 'm4a', codec: ['-c:a', 'aac', '-b:a', '64k'], format: 'm4a' },
  aac: { ext: 'aac', codec: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'], format: 'aac' },
  wav: { ext: 'wav', codec: ['-c:a', 'pcm_s16le'], format: 'wav' },
  aiff: { ext: 'aiff', codec: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'], format: 'aiff' },
  wma: { ext: 'wma', codec: ['-c:a', 'wmav2', '-b:a', '64k'], format: 'wma' },
  wv: { ext: 'wv', codec: ['-c:a', 'wavpack'], format: 'wavpack' },
};

/** Tags as the mutagen helper reads and writes them (see mutagen_tags.py). */
export interface MutagenFields {
  kind?: string;
  error?: string;
  title?: string;
  artists?: string[];
  album?: string;
  albumartist?: string;
  track?: number;
  trackTotal?: number;
  disc?: number;
  discTotal?: number;
  year?: number;
  genres?: string[];
  mood?: string;
  bpm?: number;
  comment?: string;
  picture?: boolean;
  duration?: number;
  sampleRate?: number;
  channels?: number;
  bitrate?: number;
  /** Only for writing: 'id3v2.3' (ID3 formats) or 'ape' (an APEv2 tag on any file). */
  tagFormat?: 'id3v2.3' | 'ape';
}

/** Encodes `seconds` of a stereo tone to `dir/name.ext` with ffmpeg; `metadata` becomes -metadata k=v. */
export function encode(dir: string, name: string, fmt: FixtureFormat, opts: { seconds?: number; metadata?: Record<string, string>; extra?: string[] } = {}): string {
  const path = join(dir, `${name}.${fmt.ext}`);
  const rate = fmt.ext === 'opus' ? 48000 : 44100;
  const meta = Object.entries(opts.metadata ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  ffmpeg([
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${opts.seconds ?? 0.5}`,
    '-ac', '2', '-map_metadata', '-1', ...fmt.codec, ...(opts.extra ?? []), ...meta, '-bitexact', path,
  ]);
  return path;
}

export function copy(from: string, to: string): string {
  copyFileSync(from, to);
  return to;
}

/** Writes tags with python3-mutagen in the file's own tag format. */
export function mutagenWrite(path: string, fields: MutagenFields): void {
  const r = spawnSync('/usr/bin/python3', [mutagenScript, 'write', path], { input: JSON.stringify(fields), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mutagen could not tag ${path}: ${r.stderr}`);
}

/** What python3-mutagen reads from each file. */
export function mutagenRead(paths: string[]): Record<string, MutagenFields> {
  const r = spawnSync('/usr/bin/python3', [mutagenScript, 'read', ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`mutagen could not read: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, MutagenFields>;
}

/** A full set of tags, different from what ffmpeg writes, for mutagen-tagged fixtures. */
export const richTags: MutagenFields = {
  title: 'Ünïcode “title” – 曲',
  artists: ['First Artist', 'Second Artist'],
  album: 'The Album',
  albumartist: 'Various',
  track: 7,
  trackTotal: 12,
  disc: 2,
  discTotal: 3,
  year: 2021,
  genres: ['Jazz', 'Ambient'],
  mood: 'Calm',
  bpm: 96,
  comment: 'a comment',
  picture: true,
};

/** The tags ffmpeg writes with -metadata for ffmpeg-tagged fixtures. */
export const ffmpegTags: Record<string, string> = {
  title: 'Tagged by ffmpeg',
  artist: 'Encoder Artist',
  album: 'Encoder Album',
  album_artist: 'Encoder Album Artist',
  genre: 'Rock',
  track: '3/9',
  disc: '1/2',
  date: '2019',
  comment: 'ffmpeg comment',
};
