// Ogg (Vorbis, Opus, FLAC-in-Ogg, Speex): the audio is the page BODIES after each logical
// stream's header packets. Page headers (sequence numbers, CRCs, granule positions) are left out
// because a tag writer re-paginates the header packets and renumbers every later page.
import type { ByteSource } from '../byte-source.ts';
import type { PayloadSegment } from '../audio-payload.ts';
import { ContainerError } from './container-error.ts';
import { BEGINNING_OF_STREAM, MAX_PAGE_HEADER, PAGE_HEADER_FIXED, packetPieces, pageHeaderAt } from './ogg-page.ts';

interface StreamState {
  /** Header packets still to pass; undefined until the first packet says which codec this is. */
  headersLeft: number | undefined;
  /** FLAC-in-Ogg announces no count: its headers end with the block whose last-flag is set. */
  flacHeaders: boolean;
  /** Skeleton and other metadata-only streams carry no audio at all. */
  metadataOnly: boolean;
  packetStart: boolean;
}

/** How many header packets a stream's first packet announces (undefined: FLAC's last-flag rule). */
function headerPackets(first: Buffer, where: number): { count: number | undefined; metadataOnly: boolean } {
  if (first[0] === 0x01 && first.toString('latin1', 1, 7) === 'vorbis') return { count: 3, metadataOnly: false };
  if (first.toString('latin1', 0, 8) === 'OpusHead') return { count: 2, metadataOnly: false };
  if (first[0] === 0x7f && first.toString('latin1', 1, 5) === 'FLAC' && first.length >= 14) {
    // Mapping header: 0x7F "FLAC" major minor, a 16-bit count of the header packets that follow
    // (0: unknown), "fLaC", then STREAMINFO whose block header carries the last-block flag.
    const following = first.readUInt16BE(7);
    if ((first[13]! & 0x80) !== 0) return { count: 1, metadataOnly: false };
    return { count: following > 0 ? 1 + following : undefined, metadataOnly: false };
  }
  if (first.toString('latin1', 0, 8) === 'Speex   ' && first.length >= 72) return { count: 2 + first.readUInt32LE(68), metadataOnly: false };
  if (first.toString('latin1', 0, 8) === 'fishead\0') return { count: 0, metadataOnly: true };
  if (first[0] === 0x80 && first.toString('latin1', 1, 7) === 'theora') return { count: 3, metadataOnly: false };
  throw new ContainerError(`Ogg stream of an unknown codec (first packet starts ${JSON.stringify(first.toString('latin1', 0, 8))})`, where);
}

/**
 * Bytes of the file read at once while walking pages. A page is a few kilobytes (at most 64 KB), so
 * one window holds dozens of page headers: read from it directly, a three-minute Ogg file's walk
 * costs a few window reads instead of two small reads (and two buffers) per page.
 */
const WINDOW = 256 * 1024;

export async function oggPayload(src: ByteSource): Promise<PayloadSegment[]> {
  const segments: PayloadSegment[] = [];
  const streams = new Map<number, StreamState>();
  let win: Buffer = Buffer.alloc(0);
  let winStart = 0;
  let at = 0;
  while (at + PAGE_HEADER_FIXED <= src.size) {
    if (at < winStart || at + Math.min(MAX_PAGE_HEADER, src.size - at) > winStart + win.length) {
      win = await src.read(at, WINDOW, true); // used up before the next window is read
      winStart = at;
    }
    const page = pageHeaderAt(win, at - winStart);
    if (page === 'short') throw new ContainerError('truncated Ogg page header', at); // the file shrank while being read
    if (page === 'not-a-page') {
      if (segments.length > 0) break; // junk or a trailing tag after the last page
      throw new ContainerError('expected an Ogg page ("OggS")', at);
    }
    const bodyStart = at + page.headerLength;
    if (bodyStart + page.bodyLength > src.size) throw new ContainerError(`the last Ogg page needs ${bodyStart + page.bodyLength - src.size} more bytes (truncated file?)`, at);
    let stream = streams.get(page.serial);
    if (!stream || page.flags & BEGINNING_OF_STREAM) {
      stream = { headersLeft: undefined, flacHeaders: false, metadataOnly: false, packetStart: true };
      streams.set(page.serial, stream);
    }
    // While the stream is still in its headers, walk the packets of this page (the small reads
    // below are not transient: they leave the window as it is). Audio pages go whole.
    let audioFrom = bodyStart;
    if (!stream.metadataOnly && stream.headersLeft !== 0) {
      audioFrom = bodyStart + page.bodyLength;
      for (const piece of packetPieces(win, page)) {
        if (stream.packetStart) {
          const first = await src.read(bodyStart + piece.offset, 80);
          if (stream.headersLeft === undefined) {
            const kind = headerPackets(first, bodyStart + piece.offset);
            stream.metadataOnly = kind.metadataOnly;
            stream.flacHeaders = kind.count === undefined;
            stream.headersLeft = kind.count ?? Number.POSITIVE_INFINITY;
            if (stream.metadataOnly) break;
          } else if (stream.flacHeaders && first[0] !== undefined && (first[0] & 0x80) !== 0) {
            stream.headersLeft = 1; // this metadata block is the last header packet
          }
        }
        stream.packetStart = piece.ends;
        if (piece.ends) stream.headersLeft! -= 1;
        if (stream.headersLeft === 0) {
          audioFrom = bodyStart + piece.offset + piece.length;
          break;
        }
      }
    }
    if (!stream.metadataOnly && stream.headersLeft === 0) {
      const end = bodyStart + page.bodyLength;
      if (end > audioFrom) segments.push({ offset: audioFrom, length: end - audioFrom });
    }
    at = bodyStart + page.bodyLength;
  }
  return segments;
}
