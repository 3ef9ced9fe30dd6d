// MP4 / M4A: the audio is the contents of every top-level `mdat` atom. Tag writers may move mdat
// (and rewrite the chunk offsets in stco/co64), so the offsets are not part of the identity.
import type { ByteSource } from '../byte-source.ts';
import type { PayloadSegment } from '../audio-payload.ts';
import { ContainerError } from './container-error.ts';
import { stripTrailingTags } from './tags-around.ts';

export async function mp4Payload(src: ByteSource): Promise<PayloadSegment[]> {
  const segments: PayloadSegment[] = [];
  // Careless taggers append ID3v1/APEv2 to M4A files; those bytes are not atoms.
  const end = await stripTrailingTags(src, 0);
  let at = 0;
  while (at + 8 <= end) {
    const h = await src.read(at, 16);
    let size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    let header = 8;
    // Bytes that do not even look like an atom are trailing junk; an atom that looks real but
    // runs past the end means a truncated file.
    if (!/^[\x20-\x7e\xa9]{4}$/.test(type)) {
      if (segments.length === 0) throw new ContainerError(`not an MP4 atom header (type ${JSON.stringify(type)})`, at);
      break;
    }
    if (size === 1) {
      if (h.length < 16) throw new ContainerError(`MP4 atom "${type}" has a truncated 64-bit size`, at);
      size = Number(h.readBigUInt64BE(8));
      header = 16;
    } else if (size === 0) {
      size = end - at; // "extends to the end of the file"
    }
    if (size < header) throw new ContainerError(`MP4 atom "${type}" has an invalid size ${size}`, at);
    if (at + size > end) throw new ContainerError(`MP4 atom "${type}" declares ${size} bytes but only ${end - at} are there (truncated file?)`, at);
    if (type === 'mdat' && size > header) segments.push({ offset: at + header, length: size - header });
    at += size;
  }
  if (segments.length === 0) throw new ContainerError('MP4 file without an "mdat" atom (no audio data)', 0);
  return segments;
}
