// WAV (RIFF, and RF64/BW64 for files over 4 GiB): the audio is the contents of the `data` chunk.
// Chunks are little-endian, padded to an even length.
import type { ByteSource } from '../byte-source.ts';
import type { PayloadSegment } from '../audio-payload.ts';
import { ContainerError } from './container-error.ts';

export async function wavPayload(src: ByteSource): Promise<PayloadSegment[]> {
  const head = await src.read(0, 12);
  const rf64 = head.toString('latin1', 0, 4) !== 'RIFF';
  let ds64DataSize: number | undefined;
  let at = 12;
  while (at + 8 <= src.size) {
    const h = await src.read(at, 8 + 28);
    const id = h.toString('latin1', 0, 4);
    const size = h.readUInt32LE(4);
    if (id === 'ds64' && h.length >= 8 + 16) ds64DataSize = Number(h.readBigUInt64LE(8 + 8));
    if (id === 'data') {
      let length = size;
      if (rf64 && size === 0xffffffff && ds64DataSize !== undefined) length = ds64DataSize;
      // A writer that streamed to a pipe leaves 0 or 0xFFFFFFFF: the data then runs to the end.
      else if (size === 0 || size === 0xffffffff) length = src.size - at - 8;
      const available = src.size - at - 8;
      if (length > available) throw new ContainerError(`the WAV "data" chunk declares ${length} bytes but only ${available} are there (truncated file?)`, at);
      return [{ offset: at + 8, length }];
    }
    at += 8 + size + (size & 1);
  }
  throw new ContainerError('WAV file without a "data" chunk', at);
}
