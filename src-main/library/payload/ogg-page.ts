// Ogg page headers (RFC 3533 §6), decoded in one place for the three readers of Ogg pages: the
// payload walk (ogg.ts), the duration from the last page (../ogg-duration.ts) and the header of
// FLAC in Ogg (../ogg-flac-header.ts).
//
//   0 "OggS"  4 version (0)  5 flags  6 granule position (64-bit LE)  14 serial  18 sequence
//   22 CRC  26 number of lacing values  27 lacing values, then the body (their sum in bytes)

/** The fixed part of a page header, before its lacing values. */
export const PAGE_HEADER_FIXED = 27;
/** The longest page header: the fixed part and 255 lacing values. */
export const MAX_PAGE_HEADER = PAGE_HEADER_FIXED + 255;
/** The longest page: its longest header and 255 × 255 bytes of body. */
export const MAX_PAGE = MAX_PAGE_HEADER + 255 * 255;
/** Flag of a logical stream's first page. */
export const BEGINNING_OF_STREAM = 0x02;

export interface OggPageHeader {
  flags: number;
  /** The granule position; null on a page where no packet ends (all bits set). */
  granule: number | null;
  serial: number;
  /** Where the lacing values start in the buffer the header was decoded from. */
  lacingAt: number;
  segments: number;
  /** The fixed part and the lacing values. */
  headerLength: number;
  /** The sum of the lacing values. */
  bodyLength: number;
}

/** Whether an Ogg page (its capture pattern "OggS" and version 0) starts at `buf[p]`. */
export function isPageStart(buf: Buffer, p: number): boolean {
  return p >= 0 && p + 5 <= buf.length && buf[p] === 0x4f && buf[p + 1] === 0x67 && buf[p + 2] === 0x67 && buf[p + 3] === 0x53 && buf[p + 4] === 0;
}

/**
 * The header of the page at `buf[p]`: 'not-a-page' where no page starts there, 'short' where the
 * buffer ends inside the header (its lacing values included).
 */
export function pageHeaderAt(buf: Buffer, p: number): OggPageHeader | 'not-a-page' | 'short' {
  if (p + PAGE_HEADER_FIXED > buf.length) return p + 5 <= buf.length && !isPageStart(buf, p) ? 'not-a-page' : 'short';
  if (!isPageStart(buf, p)) return 'not-a-page';
  const segments = buf[p + 26]!;
  const lacingAt = p + PAGE_HEADER_FIXED;
  if (lacingAt + segments > buf.length) return 'short';
  let bodyLength = 0;
  for (let k = 0; k < segments; k++) bodyLength += buf[lacingAt + k]!;
  const low = buf.readUInt32LE(p + 6);
  const high = buf.readUInt32LE(p + 10);
  return {
    flags: buf[p + 5]!,
    granule: low === 0xffffffff && high === 0xffffffff ? null : high * 2 ** 32 + low,
    serial: buf.readUInt32LE(p + 14),
    lacingAt,
    segments,
    headerLength: PAGE_HEADER_FIXED + segments,
    bodyLength,
  };
}

/** A packet, or the part of one, on a page: its bytes from the page body's start. */
export interface PacketPiece {
  offset: number;
  length: number;
  /** Whether the packet ends on this page (a lacing value under 255); if not, it goes on on the next. */
  ends: boolean;
}

/** The packets (or parts of packets) on a page, in order, from its lacing values. */
export function* packetPieces(buf: Buffer, page: OggPageHeader): Generator<PacketPiece> {
  let offset = 0;
  let length = 0;
  for (let k = 0; k < page.segments; k++) {
    const v = buf[page.lacingAt + k]!;
    length += v;
    if (v < 255) {
      yield { offset, length, ends: true };
      offset += length;
      length = 0;
    }
  }
  if (length > 0) yield { offset, length, ends: false };
}
