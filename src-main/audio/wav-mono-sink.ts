// Reads the 32-bit float WAV stream ffmpeg writes to a pipe and keeps the mean of its channels.
// WAV (not raw f32le) because its header carries the channel count, so one ffmpeg run serves any
// layout, and the mixdown is the plain mean (ffmpeg's own `-ac 1` mixes stereo as (L + R)·√½ and
// weights surround channels unequally).
import { endianness } from 'node:os';

const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

// Decoders and resamplers overshoot full scale a little on loud masters; the spec says [-1, 1].
function clamp(v: number): number {
  return v > 1 ? 1 : v < -1 ? -1 : v;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** The first `n` little-endian floats of `bytes`, copied to an aligned array. */
function floatsOf(bytes: Buffer, n: number): Float32Array {
  const floats = new Float32Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(floats.buffer).set(bytes.subarray(0, n * 4));
  else for (let i = 0; i < n; i++) floats[i] = bytes.readFloatLE(i * 4);
  return floats;
}

export class MonoWavSink {
  channels = 0;
  sampleRate = 0;
  private header: Buffer = Buffer.alloc(0);
  private inData = false;
  /** Bytes of an incomplete sample frame carried to the next chunk. */
  private carry: Buffer = Buffer.alloc(0);
  private out: Float32Array;
  private count = 0;
  private readonly limit: number;

  /** `expected`: samples to preallocate; `limit`: stop keeping samples after this many. */
  constructor(opts: { expected?: number; limit?: number } = {}) {
    this.limit = opts.limit ?? Number.POSITIVE_INFINITY;
    this.out = new Float32Array(Math.max(1024, Math.min(opts.expected ?? 16000 * 60, this.limit)));
  }

  get length(): number {
    return this.count;
  }

  write(chunk: Buffer): void {
    if (!this.inData) {
      this.header = Buffer.concat([this.header, chunk]);
      const dataStart = this.parseHeader();
      if (dataStart < 0) return;
      chunk = this.header.subarray(dataStart);
      this.header = Buffer.alloc(0);
      this.inData = true;
    }
    this.consume(chunk);
  }

  /** The mono samples kept, trimmed to their count. */
  finish(): Float32Array {
    if (!this.inData && this.header.length > 0) throw new WavFormatError('the decoder output ended inside the WAV header');
    return this.out.slice(0, this.count);
  }

  /** Offset where sample data starts once the header is complete, −1 while more bytes are needed. */
  private parseHeader(): number {
    const h = this.header;
    if (h.length < 12) return -1;
    if (h.toString('latin1', 0, 4) !== 'RIFF' || h.toString('latin1', 8, 12) !== 'WAVE') throw new WavFormatError('the decoder output is not a WAV stream');
    let pos = 12;
    while (pos + 8 <= h.length) {
      const id = h.toString('latin1', pos, pos + 4);
      const size = h.readUInt32LE(pos + 4);
      if (id === 'data') {
        if (this.channels === 0) throw new WavFormatError('the WAV stream has no fmt chunk before its data');
        return pos + 8;
      }
      if (pos + 8 + size > h.length) return -1;
      if (id === 'fmt ') this.readFmt(h.subarray(pos + 8, pos + 8 + size));
      pos += 8 + size + (size & 1);
    }
    return -1;
  }

  private readFmt(fmt: Buffer): void {
    const tag = fmt.readUInt16LE(0);
    const bits = fmt.readUInt16LE(14);
    const subTag = tag === WAVE_FORMAT_EXTENSIBLE && fmt.length >= 26 ? fmt.readUInt16LE(24) : tag;
    if (subTag !== WAVE_FORMAT_IEEE_FLOAT || bits !== 32) throw new WavFormatError(`expected 32-bit float WAV, got format ${tag}/${subTag} with ${bits} bits`);
    this.channels = fmt.readUInt16LE(2);
    this.sampleRate = fmt.readUInt32LE(4);
    if (this.channels < 1) throw new WavFormatError('the WAV stream declares no channels');
  }

  private consume(chunk: Buffer): void {
    const frameBytes = 4 * this.channels;
    let bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % frameBytes);
    this.carry = Buffer.from(bytes.subarray(whole));
    bytes = bytes.subarray(0, whole);
    let frames = whole / frameBytes;
    if (this.count + frames > this.limit) frames = Math.max(0, this.limit - this.count);
    if (frames === 0) return;
    this.reserve(this.count + frames);
    const out = this.out;
    const ch = this.channels;
    const scale = 1 / ch;
    // A typed-array view reads the samples ~10× faster than Buffer.readFloatLE one by one; it
    // needs 4-byte alignment (a stream chunk may start anywhere) and a little-endian host.
    const samples = LITTLE_ENDIAN && bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, frames * ch) : floatsOf(bytes, frames * ch);
    let at = this.count;
    if (ch === 1) {
      for (let i = 0; i < frames; i++) out[at++] = clamp(samples[i]!);
    } else {
      for (let i = 0, k = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < ch; c++) sum += samples[k++]!;
        out[at++] = clamp(sum * scale);
      }
    }
    this.count = at;
  }

  private reserve(n: number): void {
    if (n <= this.out.length) return;
    let size = this.out.length;
    while (size < n) size *= 2;
    const grown = new Float32Array(Math.min(size, this.limit)); // n ≤ limit: consume() clamps
    grown.set(this.out.subarray(0, this.count));
    this.out = grown;
  }
}
