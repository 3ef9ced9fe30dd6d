// A track's length without decoding it: music-metadata reads it from the container headers
// (STREAMINFO, Xing/VBRI, mvhd; an estimate from the bitrate for an mp3 without them). An Ogg
// file's length is its last page's granule position (library/ogg-duration.ts, shared with the
// scan): music-metadata would otherwise read every page for it, tens of milliseconds for a
// three-minute track. Only a file that gives none of these is scanned whole. Used to spread
// analysis windows over a track.
import { withFileSource } from '../library/byte-source.ts';
import { oggDurationFromLastPage } from '../library/ogg-duration.ts';
import { DecodeError } from './errors.ts';

const usable = (d: number | null | undefined): d is number => d !== null && d !== undefined && Number.isFinite(d) && d > 0;

/** Seconds of audio in `path`; DecodeError when it cannot be read or holds no audio duration. */
export async function probeDuration(path: string): Promise<number> {
  const { parseFile } = await import('music-metadata');
  let duration: number | null | undefined;
  try {
    const meta = await parseFile(path, { skipCovers: true });
    duration = meta.format.duration;
    if (!usable(duration) && meta.format.container === 'Ogg') duration = await withFileSource(path, (src) => oggDurationFromLastPage(src, meta.format.sampleRate ?? null));
    if (!usable(duration)) duration = (await parseFile(path, { duration: true, skipCovers: true })).format.duration;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new DecodeError('not-found', path, `the file cannot be opened (${code})`, { cause: err, hint: 'It may have been moved or deleted; scan its folder again.' });
    }
    throw new DecodeError('unsupported-format', path, `cannot read its headers (${(err as Error).message})`, { cause: err });
  }
  if (!usable(duration)) {
    throw new DecodeError('unsupported-format', path, 'its headers give no audio duration', { hint: 'Check that the file is audio and plays in a media player.' });
  }
  return duration;
}
