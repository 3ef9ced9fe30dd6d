// The benchmark's audio: a 10-second stereo track per format, tagged by ffmpeg, closer to real
// files than the tests' short beeps. Encoder settings are the decoding tests' (one table).
import { join } from 'node:path';
import type { TagFormat } from '../../src-main/tags/fields.ts';
import { ffmpeg, formats } from '../../test/helpers/ffmpeg-fixtures.ts';

/** A 10-second stereo sine in `format`, with a title and a genre (Rock). */
export function makeMaster(dir: string, format: TagFormat): string {
  const path = join(dir, `master.${format}`);
  const rate = format === 'opus' ? 48000 : 44100;
  const codec = formats[format];
  if (!codec) throw new Error(`no encoder settings for .${format}`);
  ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=${rate}:duration=10`, '-ac', '2', ...codec, '-metadata', 'title=Bench', '-metadata', 'genre=Rock', path]);
  return path;
}
