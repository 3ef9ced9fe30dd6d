// AIFF / AIFF-C: the audio is the contents of the `SSND` chunk. Chunks are big-endian, padded to even.
import type { ByteSource } from '../byte-source.ts';
import type { PayloadSegment } from '../audio-payload.ts';
import { ContainerError } from './container-error.ts';

export async function aiffPayload(src: ByteSource): Promise<PayloadSegment[]> {
  let at = 12;
  while (at + 8 <= src.size) {
    const h = await src.read(at, 8);
    const size = h.readUInt32BE(4);
    if (h.toString('latin1', 0, 4) === 'SSND') {
      const available = src.size - at - 8;
      if (size > available) throw new ContainerError(`the AIFF "SSND" chunk declares ${size} bytes but only ${available} are there (truncated file?)`, at);
      return [{ offset: at + 8, length: size }];
    }
    at += 8 + size + (size & 1);
  }
  throw new ContainerError('AIFF file without an "SSND" chunk', at);
}
