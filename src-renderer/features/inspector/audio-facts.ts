// The line of file facts under a track's own tags: what the audio is (format and codec, length,
// sample rate, channels, depth, bitrate, lossless or not) and what carries its tags. Each part is
// labelled so that "Vorbis" (the tag format of a FLAC file) cannot be read as the codec.
import { formatDuration } from '../../ui/format.ts';
import type { Track } from './types.ts';

type Audio = Track['audio'];

const kbit = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const khz = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

function channels(n: number): string {
  return n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n} channels`;
}

/** "m4a (MPEG-4/AAC) · 3:07 · 48 kHz · stereo · 256 kbit/s · lossy · tags: MP4 · cover art" */
export function audioFacts(audio: Audio, container: string): string {
  const format = audio.format ?? container;
  // The codec only where it says more than the format's name (m4a: AAC or ALAC; ogg: Vorbis or FLAC).
  const codec = audio.codec && audio.codec.toLowerCase() !== format.toLowerCase() ? ` (${audio.codec})` : '';
  const parts = [format + codec, formatDuration(audio.durationS)];
  if (audio.sampleRate) parts.push(`${khz.format(audio.sampleRate / 1000)} kHz`);
  if (audio.channels) parts.push(channels(audio.channels));
  if (audio.bitsPerSample) parts.push(`${audio.bitsPerSample}-bit`);
  if (audio.bitrate) parts.push(`${kbit.format(audio.bitrate / 1000)} kbit/s`);
  if (audio.lossless !== null) parts.push(audio.lossless ? 'lossless' : 'lossy');
  const tagFormats = audio.tagTypes.map((t) => (t === 'Vorbis' ? 'Vorbis comments' : t));
  parts.push(tagFormats.length > 0 ? `tags: ${tagFormats.join(', ')}` : 'no tags');
  if (audio.hasPicture) parts.push('cover art');
  return parts.join(' · ');
}
