// Tiny real audio files for the tag-writer tests, made by the Debian ffmpeg with tags ffmpeg
// writes itself (no committed fixtures), and a Betti service on a fresh library for each test.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext } from '../../../src-main/api/context.ts';
import type { BettiClient } from '../../../src-main/api/contract.ts';
import { createDirectClient } from '../../../src-main/api/direct.ts';
import { EventBus } from '../../../src-main/api/events.ts';
import { createService } from '../../../src-main/api/service.ts';
import type { TagFormat } from '../../../src-main/tags/fields.ts';

const CODECS: Record<TagFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '2'],
  opus: ['-c:a', 'libopus', '-b:a', '32k'],
  m4a: ['-c:a', 'aac', '-b:a', '64k'],
  wav: ['-c:a', 'pcm_s16le'],
  aiff: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'],
};

export interface FixtureOptions {
  title?: string;
  genre?: string;
  /** mp3 only: the ID3v2 version ffmpeg writes (default 4). */
  id3v2?: 3 | 4;
  /** mp3 only: also write an ID3v1 tag. */
  id3v1?: boolean;
  seconds?: number;
}

/** Writes dir/name.<format> (a short sine), tagged by ffmpeg. */
export function makeAudioFile(dir: string, name: string, format: TagFormat, opts: FixtureOptions = {}): string {
  const path = join(dir, `${name}.${format}`);
  const rate = format === 'opus' ? 48000 : 22050;
  const args = ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${opts.seconds ?? 0.4}`, '-ac', '1', ...CODECS[format]];
  if (opts.title !== undefined) args.push('-metadata', `title=${opts.title}`);
  if (opts.genre !== undefined) args.push('-metadata', `genre=${opts.genre}`);
  if (format === 'mp3' || format === 'aiff') args.push('-id3v2_version', String(opts.id3v2 ?? 4));
  if (format === 'mp3' && opts.id3v1) args.push('-write_id3v1', '1');
  args.push(path);
  const r = spawnSync('ffmpeg', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg failed for ${path}: ${r.stderr}`);
  // ffmpeg writes WAV tags only as RIFF INFO; players (and Betti) use the ID3 chunk, which
  // mutagen adds here with the same title and genre. The INFO chunk stays for "left as found".
  if (format === 'wav') addId3WithMutagen(path, opts);
  return path;
}

function addId3WithMutagen(path: string, opts: FixtureOptions): void {
  const script = [
    'import sys, json',
    'from mutagen.wave import WAVE',
    'from mutagen.id3 import TIT2, TCON',
    'o = json.loads(sys.argv[2])',
    'f = WAVE(sys.argv[1])',
    'f.add_tags()',
    "if o.get('title') is not None: f.tags.add(TIT2(encoding=3, text=[o['title']]))",
    "if o.get('genre') is not None: f.tags.add(TCON(encoding=3, text=[o['genre']]))",
    'f.save()',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script, path, JSON.stringify({ title: opts.title, genre: opts.genre })], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mutagen failed for ${path}: ${r.stderr}`);
}

/** A copy of `master` under a new name in `dir`. */
export function copyOf(master: string, dir: string, name: string): string {
  const ext = master.slice(master.lastIndexOf('.'));
  const path = join(dir, `${name}${ext}`);
  copyFileSync(master, path);
  return path;
}

export interface TestService {
  client: BettiClient;
  dbPath: string;
  close(): void;
}

/** The real service over a library database at dbPath, through the direct transport. */
export function openService(dbPath: string): TestService {
  const bus = new EventBus();
  const context = createContext({ dbPath, bus });
  return { client: createDirectClient(createService(context), bus), dbPath, close: () => context.close() };
}
