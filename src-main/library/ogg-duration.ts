// A large Ogg file's duration. music-metadata stops reading an Ogg stream after its first dozen
// pages (reading every page is its only other way, a pass over the whole file), so a long Vorbis
// or Opus track would have none. The last page of the stream says it: its granule position counts
// the samples decoded by its end (RFC 3533), at the sample rate for Vorbis, FLAC and Speex, and at
// 48 kHz from before the pre-skip for Opus (RFC 7845 §4).
import type { ByteSource } from './byte-source.ts';
import { MAX_PAGE, MAX_PAGE_HEADER, pageHeaderAt } from './payload/ogg-page.ts';

/**
 * Seconds of audio in the first logical stream of an Ogg file, from its last page; null when the
 * file does not end in a page of that stream with a granule position (truncated, chained to
 * another stream, or not Ogg). `sampleRate` is the stream's (music-metadata's); Opus counts at
 * 48 kHz whatever it says.
 */
export async function oggDurationFromLastPage(src: ByteSource, sampleRate: number | null): Promise<number | null> {
  const head = await src.read(0, MAX_PAGE_HEADER + 19); // the first page's header and the start of its first packet
  const first = pageHeaderAt(head, 0);
  if (typeof first === 'string') return null;
  const packet = first.headerLength; // the first packet starts after the lacing values
  const opus = head.toString('latin1', packet, packet + 8) === 'OpusHead';
  const preSkip = opus && head.length >= packet + 12 ? head.readUInt16LE(packet + 10) : 0;
  const rate = opus ? 48000 : sampleRate;
  if (!rate || rate <= 0) return null;

  const from = Math.max(0, src.size - MAX_PAGE - 27);
  const tail = await src.read(from, src.size - from);
  for (let at = tail.lastIndexOf('OggS', tail.length - 27, 'latin1'); at >= 0; at = at > 0 ? tail.lastIndexOf('OggS', at - 1, 'latin1') : -1) {
    const page = pageHeaderAt(tail, at);
    // Not a page ("OggS" inside a body), another stream's, or one where no packet ends.
    if (typeof page === 'string' || page.serial !== first.serial || page.granule === null) continue;
    const seconds = (page.granule - preSkip) / rate;
    return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  }
  return null;
}
