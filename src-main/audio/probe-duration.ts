// A track's length without decoding it: music-metadata reads it from the container headers
// (STREAMINFO, Xing/VBRI, mvhd, Ogg granule positions), scanning the file only when a format has
// no such header (e.g. a CBR mp3 without Xing). Used to spread analysis windows over a track.
import { DecodeError } from './errors.ts';

/** Seconds of audio in `path`; DecodeError when it cannot be read or holds no audio duration. */
export async function probeDuration(path: string): Promise<number> {
  const { parseFile } = await import('music-metadata');
  let duration: number | undefined;
  try {
    const meta = await parseFile(path, { duration: true, skipCovers: true });
    duration = meta.format.duration;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new DecodeError('not-found', path, `the file cannot be opened (${code})`, { cause: err, hint: 'It may have been moved or deleted; run `betti scan` on its folder again.' });
    }
    throw new DecodeError('unsupported-format', path, `cannot read its headers (${(err as Error).message})`, { cause: err });
  }
  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
    throw new DecodeError('unsupported-format', path, 'its headers give no audio duration', { hint: 'Check that the file is audio and plays in a media player.' });
  }
  return duration;
}
