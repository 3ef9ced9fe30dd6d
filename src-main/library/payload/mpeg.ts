// MPEG audio (MP3) and ADTS streams: raw frames between the tags around them (tags-around.ts).
// A LAME/Xing "Info" header in the first frame records the stream's byte count, which is the one
// way to tell a truncated MP3 from a short one.
import type { ByteSource } from '../byte-source.ts';
import type { PayloadSegment } from '../audio-payload.ts';
import { ContainerError } from './container-error.ts';
import { isMpegFrameSync } from './sniff.ts';
import { stripTrailingTags } from './tags-around.ts';

/** Offset of a Xing/Info tag inside the first frame: after the 4-byte header and the side information. */
function xingOffset(header: Buffer): number | undefined {
  const version = (header[1]! >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const layer = (header[1]! >> 1) & 3; // 1: layer III
  if (layer !== 1) return undefined;
  const mono = header[3]! >> 6 === 3;
  if (version === 3) return 4 + (mono ? 17 : 32);
  return 4 + (mono ? 9 : 17);
}

export async function mpegPayload(src: ByteSource, start: number): Promise<PayloadSegment[]> {
  const end = await stripTrailingTags(src, start);
  const first = await src.read(start, 200);
  if (isMpegFrameSync(first)) {
    const at = xingOffset(first);
    if (at !== undefined && first.length >= at + 12) {
      const tag = first.toString('latin1', at, at + 4);
      const flags = first.readUInt32BE(at + 4);
      if ((tag === 'Xing' || tag === 'Info') && flags & 0x2) {
        const bytesAt = at + 8 + (flags & 0x1 ? 4 : 0);
        const declared = first.length >= bytesAt + 4 ? first.readUInt32BE(bytesAt) : 0;
        // Encoders disagree by a few bytes on whether the count includes the Info frame.
        if (declared > end - start + 1024) {
          throw new ContainerError(`the MP3 header says the stream has ${declared} bytes but only ${end - start} are there (truncated file?)`, start);
        }
      }
    }
  }
  return [{ offset: start, length: end - start }];
}
