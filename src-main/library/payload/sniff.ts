// Which container a file is, from its first bytes (after any leading ID3v2 tags). Extensions lie:
// a text file named .mp3 or a FLAC without an extension must be recognised by content.
import type { ContainerFormat } from '../audio-payload.ts';

const ASF_HEADER = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');
const MP4_TOP_LEVEL = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pdin', 'uuid', 'styp']);

/** True for the start of an MPEG audio frame header (layer I–III) or an ADTS AAC frame header. */
export function isMpegFrameSync(b: Buffer, at = 0): boolean {
  if (b.length < at + 4 || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1]! >> 3) & 3;
  const layer = (b[at + 1]! >> 1) & 3;
  if (layer === 0) return (b[at + 1]! & 0xf6) === 0xf0 && ((b[at + 2]! >> 2) & 0xf) < 13; // ADTS
  if (version === 1) return false; // reserved
  const bitrate = b[at + 2]! >> 4;
  const rate = (b[at + 2]! >> 2) & 3;
  return bitrate !== 15 && rate !== 3;
}

/**
 * The container of `head` (bytes from `at` on, where leading ID3v2 tags end). `afterId3` says a
 * leading ID3v2 tag was present: such a file is an MPEG stream even if junk precedes the first frame.
 * ADTS AAC reports 'mp3': its framing and the tags around it follow the same rules.
 */
export function sniffContainer(head: Buffer, afterId3 = false): ContainerFormat {
  const s4 = head.toString('latin1', 0, 4);
  if (s4 === 'fLaC') return 'flac';
  if (s4 === 'OggS') return 'ogg';
  if ((s4 === 'RIFF' || s4 === 'RF64' || s4 === 'BW64') && head.toString('latin1', 8, 12) === 'WAVE') return 'wav';
  if (s4 === 'FORM' && ['AIFF', 'AIFC'].includes(head.toString('latin1', 8, 12))) return 'aiff';
  if (s4 === 'MAC ') return 'ape';
  if (s4 === 'wvpk') return 'wavpack';
  if (head.length >= 16 && head.subarray(0, 16).equals(ASF_HEADER)) return 'asf';
  if (head.length >= 8 && MP4_TOP_LEVEL.has(head.toString('latin1', 4, 8)) && head.readUInt32BE(0) >= 8) return 'mp4';
  if (isMpegFrameSync(head)) return 'mp3';
  return afterId3 ? 'mp3' : 'unknown';
}
