// FLAC (native): "fLaC", then metadata blocks (1-byte last-flag + type, 3-byte length), then frames.
import type { ByteSource } from '../byte-source.ts';
import type { PayloadSegment } from '../audio-payload.ts';
import { ContainerError } from './container-error.ts';
import { stripTrailingTags } from './tags-around.ts';

export async function flacPayload(src: ByteSource, start: number): Promise<PayloadSegment[]> {
  let at = start + 4; // "fLaC"
  let block: number;
  for (;;) {
    block = at;
    const h = await src.read(at, 4);
    if (h.length < 4) throw new ContainerError('FLAC metadata blocks run past the end of the file (truncated file?)', at);
    const last = (h[0]! & 0x80) !== 0;
    if ((h[0]! & 0x7f) === 127) throw new ContainerError('invalid FLAC metadata block type 127', at);
    at += 4 + h.readUIntBE(1, 3);
    if (last) break;
  }
  if (at > src.size) throw new ContainerError(`the last FLAC metadata block needs ${at - src.size} more bytes than the file has (truncated file?)`, block);
  const end = await stripTrailingTags(src, at);
  return [{ offset: at, length: end - at }];
}
