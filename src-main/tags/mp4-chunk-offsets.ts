// MP4 keeps its audio in `mdat` and finds it through the chunk offset tables (stco/co64) of each
// track. A tag write that grows the `moov` atom in front of `mdat` moves the audio, so the
// writer must rewrite every offset. The audio hash cannot see a mistake there (the mdat bytes
// are identical, only unreachable), so verification also compares every chunk offset expressed
// as a position inside the audio payload: equal lists mean the tables still point at the same
// audio bytes.
import { open, type FileHandle } from 'node:fs/promises';

interface Atom {
  type: string;
  start: number;
  header: number;
  size: number;
}

async function readAtoms(fh: FileHandle, from: number, to: number): Promise<Atom[]> {
  const atoms: Atom[] = [];
  const h = Buffer.alloc(16);
  for (let at = from; at + 8 <= to; ) {
    const { bytesRead } = await fh.read(h, 0, 16, at);
    if (bytesRead < 8) break;
    let size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    let header = 8;
    if (size === 1 && bytesRead >= 16) {
      size = Number(h.readBigUInt64BE(8));
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header || at + size > to) break; // trailing junk or a truncated atom: stop here
    atoms.push({ type, start: at, header, size });
    at += size;
  }
  return atoms;
}

async function child(fh: FileHandle, parent: Atom, type: string, skip = 0): Promise<Atom[]> {
  const inner = await readAtoms(fh, parent.start + parent.header + skip, parent.start + parent.size);
  return inner.filter((a) => a.type === type);
}

/**
 * Every chunk offset of every track, as an index into the concatenated mdat contents (-1 for an
 * offset outside every mdat). Undefined when the file has no moov (not an MP4 file).
 */
export async function mp4ChunkOffsets(path: string): Promise<number[] | undefined> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const top = await readAtoms(fh, 0, size);
    const moov = top.find((a) => a.type === 'moov');
    if (!moov) return undefined;
    const mdats = top.filter((a) => a.type === 'mdat').map((a) => ({ start: a.start + a.header, end: a.start + a.size }));
    const absolute: number[] = [];
    for (const trak of await child(fh, moov, 'trak')) {
      for (const mdia of await child(fh, trak, 'mdia'))
        for (const minf of await child(fh, mdia, 'minf'))
          for (const stbl of await child(fh, minf, 'stbl')) {
            for (const table of [...(await child(fh, stbl, 'stco')), ...(await child(fh, stbl, 'co64'))]) {
              const body = Buffer.alloc(table.size - table.header);
              await fh.read(body, 0, body.length, table.start + table.header);
              const wide = table.type === 'co64';
              if (body.length < 8) continue;
              const count = Math.min(body.readUInt32BE(4), Math.floor((body.length - 8) / (wide ? 8 : 4)));
              for (let i = 0; i < count; i++) absolute.push(wide ? Number(body.readBigUInt64BE(8 + i * 8)) : body.readUInt32BE(8 + i * 4));
            }
          }
    }
    return absolute.map((o) => {
      let base = 0;
      for (const m of mdats) {
        if (o >= m.start && o < m.end) return base + (o - m.start);
        base += m.end - m.start;
      }
      return -1;
    });
  } finally {
    await fh.close();
  }
}
