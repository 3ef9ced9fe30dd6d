// The tags of FLAC in Ogg. music-metadata 11 parses only the first page of such a stream, so its
// Vorbis comment and pictures would go unread. In the Ogg mapping of FLAC
// (https://xiph.org/flac/ogg_mapping.html) the first packet carries STREAMINFO and every later
// header packet is one native FLAC metadata block; laid end to end behind "fLaC" they are the
// header of a native .flac file, which music-metadata's FLAC parser reads with the tag mapping
// it uses for every .flac (read-track.ts).
import type { ByteSource } from './byte-source.ts';
import { BEGINNING_OF_STREAM, MAX_PAGE_HEADER, PAGE_HEADER_FIXED, packetPieces, pageHeaderAt } from './payload/ogg-page.ts';

/** Header blocks beyond this many bytes (pictures, usually) are left out; the Vorbis comment comes first. */
export const MAX_OGG_FLAC_HEADER = 16 * 1024 * 1024;

const STREAMINFO_AT = 13; // 0x7F "FLAC" major minor count(2) "fLaC", then STREAMINFO's block header
const STREAMINFO_BLOCK = 4 + 34;

/** The first packet of a FLAC-in-Ogg stream: its mapping header, with STREAMINFO. */
function isFlacMapping(packet: Buffer): boolean {
  return packet.length >= STREAMINFO_AT + STREAMINFO_BLOCK && packet[0] === 0x7f && packet.toString('latin1', 1, 5) === 'FLAC' && packet.toString('latin1', 9, 13) === 'fLaC';
}

/** A header packet that is one whole metadata block (type 0–6 or an application's up to 126). */
function isMetadataBlock(packet: Buffer): boolean {
  return packet.length >= 4 && (packet[0]! & 0x7f) !== 0x7f && packet.readUIntBE(1, 3) === packet.length - 4;
}

/**
 * The native FLAC header ("fLaC", STREAMINFO and the metadata blocks) of the first FLAC stream in
 * an Ogg file, or null when the file has none or its first packet is malformed. Reads the header
 * pages only. A block that does not fit in `maxBytes`, or that breaks the mapping, ends the header
 * where it starts.
 */
export async function oggFlacHeader(src: ByteSource, maxBytes = MAX_OGG_FLAC_HEADER): Promise<Buffer | null> {
  let serial: number | undefined;
  let expected = Number.POSITIVE_INFINITY; // header packets after the first, when the mapping says
  const blocks: Buffer[] = [];
  let bytes = 0;
  let packet: Buffer[] = [];
  let at = 0;
  let done = false;
  while (!done && at + PAGE_HEADER_FIXED <= src.size && at <= maxBytes + 65536) {
    const head = await src.read(at, MAX_PAGE_HEADER);
    const page = pageHeaderAt(head, 0);
    if (typeof page === 'string') break;
    const bodyStart = at + page.headerLength;
    if (serial === undefined && !(page.flags & BEGINNING_OF_STREAM)) return null; // every stream has begun, none of them FLAC
    const ours = serial === undefined || page.serial === serial;
    for (const piece of ours ? packetPieces(head, page) : []) {
      if (bytes + piece.length > maxBytes) {
        done = true;
        break;
      }
      packet.push(await src.read(bodyStart + piece.offset, piece.length));
      bytes += piece.length;
      if (!piece.ends) continue;
      const whole = packet.length === 1 ? packet[0]! : Buffer.concat(packet);
      packet = [];
      if (serial === undefined) {
        if (!isFlacMapping(whole)) break; // another codec's stream (a Skeleton): look at the next one
        serial = page.serial;
        const count = whole.readUInt16BE(7);
        if (count > 0) expected = count;
        blocks.push(whole.subarray(STREAMINFO_AT, STREAMINFO_AT + STREAMINFO_BLOCK));
        done = (whole[STREAMINFO_AT]! & 0x80) !== 0;
      } else if (!isMetadataBlock(whole)) {
        done = true; // audio, or a broken header: the header ends here
      } else {
        blocks.push(whole);
        done = (whole[0]! & 0x80) !== 0 || blocks.length - 1 >= expected;
      }
      if (done) break;
    }
    at = bodyStart + page.bodyLength;
  }
  if (blocks.length === 0) return null;
  const header = Buffer.concat([Buffer.from('fLaC', 'latin1'), ...blocks]);
  // Only the last block carries the last-block flag: set where the mapping ended early, cleared
  // on STREAMINFO when blocks follow.
  let offset = 4;
  for (let k = 0; k < blocks.length; k++) {
    header[offset] = (header[offset]! & 0x7f) | (k === blocks.length - 1 ? 0x80 : 0);
    offset += blocks[k]!.length;
  }
  return header;
}
