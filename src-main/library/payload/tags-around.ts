// Tags that sit around a raw audio stream (MP3, ADTS, FLAC, APE, WavPack): ID3v2 at the start
// (possibly several), and at the end any mix of ID3v1 ("TAG", 128 bytes), APEv2 ("APETAGEX"
// footer), Lyrics3 v1/v2 and an appended ID3v2.4 (footer "3DI"). None of it is audio.
import type { ByteSource } from '../byte-source.ts';

const ascii = (b: Buffer, at: number, text: string): boolean => b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;

function syncsafe(b: Buffer, at: number): number {
  return ((b[at]! & 0x7f) << 21) | ((b[at + 1]! & 0x7f) << 14) | ((b[at + 2]! & 0x7f) << 7) | (b[at + 3]! & 0x7f);
}

/** An ID3v2 header at `at` in `b`: the whole tag's length (header, body, footer), or undefined. */
export function id3v2TagLength(b: Buffer, at = 0): number | undefined {
  if (!ascii(b, at, 'ID3') || b.length < at + 10) return undefined;
  const major = b[at + 3]!;
  if (major < 2 || major > 4 || b[at + 4] === 0xff) return undefined;
  for (let i = 6; i < 10; i++) if (b[at + i]! & 0x80) return undefined; // not syncsafe: not a header
  const footer = major === 4 && b[at + 5]! & 0x10 ? 10 : 0;
  return 10 + syncsafe(b, at + 6) + footer;
}

/** Offset of the first byte after every leading ID3v2 tag. */
export async function skipLeadingId3v2(src: ByteSource, from = 0): Promise<number> {
  let at = from;
  for (;;) {
    const head = await src.read(at, 10);
    const len = id3v2TagLength(head);
    if (len === undefined || at + len > src.size) return at;
    at += len;
  }
}

/**
 * Offset just past the last audio byte: `end` minus every trailing tag, in any order.
 * Never goes below `start`.
 */
export async function stripTrailingTags(src: ByteSource, start: number, end = src.size): Promise<number> {
  for (;;) {
    const stripped = await stripOne(src, start, end);
    if (stripped === end) return end;
    end = stripped;
  }
}

async function stripOne(src: ByteSource, start: number, end: number): Promise<number> {
  if (end - start >= 128) {
    const t = await src.read(end - 128, 3);
    if (ascii(t, 0, 'TAG')) return end - 128;
  }
  if (end - start >= 32) {
    const f = await src.read(end - 32, 32);
    if (ascii(f, 0, 'APETAGEX')) {
      // APEv2 footer: version, size (items + footer, not the header), count, flags (bit 31: has header).
      const size = f.readUInt32LE(12);
      const hasHeader = (f.readUInt32LE(20) & 0x80000000) !== 0;
      const tagStart = end - size - (hasHeader ? 32 : 0);
      if (size >= 32 && tagStart >= start) return tagStart;
    }
  }
  if (end - start >= 15) {
    const l = await src.read(end - 15, 15);
    if (ascii(l, 6, 'LYRICS200')) {
      // Lyrics3 v2: "LYRICSBEGIN"… then a 6-digit size of everything from LYRICSBEGIN, then LYRICS200.
      const digits = l.toString('latin1', 0, 6);
      const size = /^\d{6}$/.test(digits) ? Number(digits) : -1;
      const tagStart = end - 15 - size;
      if (size > 0 && tagStart >= start && ascii(await src.read(tagStart, 11), 0, 'LYRICSBEGIN')) return tagStart;
    }
    if (ascii(l, 6, 'LYRICSEND')) {
      // Lyrics3 v1: at most 5100 bytes between LYRICSBEGIN and LYRICSEND.
      const from = Math.max(start, end - 9 - 5100 - 11);
      const tail = await src.read(from, end - from);
      const i = tail.lastIndexOf('LYRICSBEGIN', undefined, 'latin1');
      if (i >= 0) return from + i;
    }
  }
  if (end - start >= 20) {
    const h = await src.read(end - 10, 10);
    if (ascii(h, 0, '3DI') && h[3]! === 4) {
      const tagStart = end - 20 - syncsafe(h, 6);
      if (tagStart >= start) return tagStart;
    }
  }
  return end;
}
