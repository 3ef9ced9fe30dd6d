// The benchmark's audio: a 10-second stereo track per format, tagged by ffmpeg, closer to real
// files than the tests' short beeps.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TagFormat } from '../../src-main/tags/fields.ts';

const CODECS: Record<TagFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '4'],
  opus: ['-c:a', 'libopus', '-b:a', '96k'],
  m4a: ['-c:a', 'aac', '-b:a', '128k'],
  wav: ['-c:a', 'pcm_s16le'],
  aiff: ['-c:a', 'pcm_s16be'],
};

/** A 10-second stereo sine in `format`, with a title and a genre (Rock). */
export function makeMaster(dir: string, format: TagFormat): string {
  const path = join(dir, `master.${format}`);
  const rate = format === 'opus' ? 48000 : 44100;
  const r = spawnSync(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=${rate}:duration=10`, '-ac', '2', ...CODECS[format], '-metadata', 'title=Bench', '-metadata', 'genre=Rock', path],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr}`);
  return path;
}

