// The duration of a raw audio stream, MPEG audio (MP3, MP2) or AAC in ADTS frames, where no header
// says how long it is: an ADTS stream always, and a variable-bitrate MP3 without a Xing/VBRI
// header. music-metadata gives none for these unless it reads every frame. Each frame header
// says how long the frame is and how many samples it holds (ISO/IEC 11172-3 §2.4.2.3,
// ISO/IEC 13818-7 §6.2), so frames are counted by hopping from header to header: all of them in
// a stream up to COUNT_BYTES, and in a longer one the first COUNT_BYTES, their samples per byte
// scaled to the whole stream (as mutagen estimates, from more of the stream).
import type { ByteSource } from './byte-source.ts';

/** Bytes of a stream whose frames are counted; past them the duration is extrapolated. */
export const COUNT_BYTES = 1024 * 1024;

export type RawStreamKind = 'adts' | 'mpeg';

export interface RawStreamTiming {
  seconds: number;
  /** Bits per second of the frames counted, headers included. */
  bitrate: number;
}

interface Frame {
  rate: number;
  samples: number;
  length: number;
}

const HEADER = 7; // the longer of the two headers (ADTS without CRC; MPEG's is 4)

const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

function adtsFrame(h: Buffer): Frame | null {
  if (h[0] !== 0xff || (h[1]! & 0xf6) !== 0xf0) return null; // sync word, layer 0
  const rate = ADTS_RATES[(h[2]! >> 2) & 0x0f];
  const length = ((h[3]! & 0x03) << 11) | (h[4]! << 3) | (h[5]! >> 5);
  if (rate === undefined || length < HEADER) return null;
  return { rate, samples: 1024 * ((h[6]! & 0x03) + 1), length };
}

/** kbit/s by [MPEG-1?][layer I, II, III][bitrate index 1–14]. */
const MPEG_BITRATES = [
  [
    [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
  [
    [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
];
/** Hz by version (0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1) and sample rate index. */
const MPEG_RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

function mpegFrame(h: Buffer): Frame | null {
  if (h[0] !== 0xff || (h[1]! & 0xe0) !== 0xe0) return null;
  const version = (h[1]! >> 3) & 3;
  const layer = 4 - ((h[1]! >> 1) & 3); // 1, 2, 3; 4: reserved
  const bitrateIndex = h[2]! >> 4;
  const rate = MPEG_RATES[version]?.[(h[2]! >> 2) & 3];
  // Free-format frames (index 0) give no length to hop by.
  if (rate === undefined || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15) return null;
  const mpeg1 = version === 3;
  const bitrate = MPEG_BITRATES[mpeg1 ? 1 : 0]![layer - 1]![bitrateIndex - 1]! * 1000;
  const padding = (h[2]! >> 1) & 1;
  if (layer === 1) return { rate, samples: 384, length: (Math.floor((12 * bitrate) / rate) + padding) * 4 };
  const samples = layer === 3 && !mpeg1 ? 576 : 1152;
  return { rate, samples, length: Math.floor(((samples / 8) * bitrate) / rate) + padding };
}

/**
 * The duration and bitrate of the `kind` stream at [start, end) of `src`, or null when it does not
 * start with such a frame. Counting stops at the first bytes that are not a frame header of the
 * same sample rate (junk, or a cut-off last frame), which then count at the rate of the frames
 * before them.
 */
export async function rawStreamTiming(src: ByteSource, kind: RawStreamKind, start: number, end: number, countBytes = COUNT_BYTES): Promise<RawStreamTiming | null> {
  const decode = kind === 'adts' ? adtsFrame : mpegFrame;
  let rate = 0;
  let samples = 0;
  let at = start;
  while (at + HEADER <= end && at - start < countBytes) {
    const frame = decode(await src.read(at, HEADER));
    if (!frame || (rate !== 0 && frame.rate !== rate)) break;
    rate = frame.rate;
    samples += frame.samples;
    at += frame.length;
  }
  if (rate === 0) return null;
  const counted = Math.min(at, end) - start;
  const countedSeconds = samples / rate;
  const seconds = countedSeconds * ((end - start) / counted);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return { seconds, bitrate: (8 * counted) / countedSeconds };
}
