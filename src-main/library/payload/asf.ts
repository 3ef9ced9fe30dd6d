// ASF / WMA: a Header Object (all the tags live in it), then the Data Object with the packets.
// The audio is the Data Object's contents after its 24-byte object header.
import type { ByteSource } from '../byte-source.ts';
import type { PayloadSegment } from '../audio-payload.ts';
import { ContainerError } from './container-error.ts';

const DATA_OBJECT = Buffer.from('3626b2758e66cf11a6d900aa0062ce6c', 'hex');

export async function asfPayload(src: ByteSource): Promise<PayloadSegment[]> {
  let at = 0;
  while (at + 24 <= src.size) {
    const h = await src.read(at, 24);
    let size = Number(h.readBigUInt64LE(16));
    if (h.subarray(0, 16).equals(DATA_OBJECT)) {
      // Broadcast files may leave the size unset (0): the packets then run to the end.
      if (size === 0) size = src.size - at;
      if (size < 24 || at + size > src.size) throw new ContainerError(`the ASF Data Object declares ${size} bytes but only ${src.size - at} are there (truncated file?)`, at);
      return [{ offset: at + 24, length: size - 24 }];
    }
    if (size < 24) throw new ContainerError(`ASF object with an invalid size ${size}`, at);
    at += size;
  }
  throw new ContainerError('ASF file without a Data Object', at);
}
