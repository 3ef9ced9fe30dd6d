// A raw AAC (ADTS) stream's duration. Such a stream has no header that says how long it is, and
// music-metadata gives none unless it reads every frame. Each ADTS frame header carries the
// frame's length and its count of raw data blocks of 1024 samples (ISO/IEC 13818-7 §6.2), so the
// frames are counted by hopping from header to header: all of them in a stream up to
// ADTS_COUNT_BYTES, and in a longer one the first ADTS_COUNT_BYTES, their samples per byte
// scaled to the whole stream (as mutagen estimates it, from more of the stream).
import type { ByteSource } from './byte-source.ts';

/** Bytes of a stream whose frames are counted; past them the duration is extrapolated. */
export const ADTS_COUNT_BYTES = 1024 * 1024;

const SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
const HEADER = 7;

/**
 * Seconds of audio in the ADTS stream at [start, end) of `src`, or null when it does not start
 * with an ADTS frame. Counting stops at the first bytes that are not a frame header (junk, or a
 * cut-off last frame), which then count at the rate of the frames before them.
 */
export async function adtsDuration(src: ByteSource, start: number, end: number, countBytes = ADTS_COUNT_BYTES): Promise<number | null> {
  let rate = 0;
  let samples = 0;
  let at = start;
  while (at + HEADER <= end && at - start < countBytes) {
    const h = await src.read(at, HEADER);
    if (h.length < HEADER || h[0] !== 0xff || (h[1]! & 0xf6) !== 0xf0) break; // sync word, layer 0
    const frameRate = SAMPLE_RATES[(h[2]! >> 2) & 0x0f];
    const frameLength = ((h[3]! & 0x03) << 11) | (h[4]! << 3) | (h[5]! >> 5);
    if (frameRate === undefined || frameLength < HEADER || (rate !== 0 && frameRate !== rate)) break;
    rate = frameRate;
    samples += 1024 * ((h[6]! & 0x03) + 1);
    at += frameLength;
  }
  if (rate === 0) return null;
  const counted = Math.min(at, end) - start;
  const seconds = (samples / rate) * ((end - start) / counted);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}
