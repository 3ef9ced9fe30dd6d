// Random access to a file's bytes for the container walkers (audio-payload.ts) and the scanner.
// Container walks issue many small reads near each other (headers, atoms, Ogg pages), so the file
// source serves them from a few cached aligned blocks instead of one syscall each; a scan of a
// small file can instead hand over the whole file it already read (bufferSource).
import { open, type FileHandle } from 'node:fs/promises';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only at the end of the source. */
  read(offset: number, length: number): Promise<Buffer>;
}

export interface ClosableByteSource extends ByteSource {
  close(): Promise<void>;
}

export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(Math.max(0, offset), Math.max(0, Math.min(bytes.length, offset + length))),
  };
}

const BLOCK = 64 * 1024;
const CACHED_BLOCKS = 8;

class FileSource implements ClosableByteSource {
  readonly size: number;
  readonly #fh: FileHandle;
  // Insertion-ordered: the oldest block is evicted first.
  readonly #blocks = new Map<number, Buffer>();

  constructor(fh: FileHandle, size: number) {
    this.#fh = fh;
    this.size = size;
  }

  async #raw(offset: number, length: number): Promise<Buffer> {
    const want = Math.max(0, Math.min(length, this.size - offset));
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.#fh.read(buf, got, want - got, offset + got);
      if (bytesRead === 0) break; // the file shrank under us; callers see a short read
      got += bytesRead;
    }
    return got === want ? buf : buf.subarray(0, got);
  }

  async #block(index: number): Promise<Buffer> {
    let b = this.#blocks.get(index);
    if (!b) {
      b = await this.#raw(index * BLOCK, BLOCK);
      this.#blocks.set(index, b);
      if (this.#blocks.size > CACHED_BLOCKS) this.#blocks.delete(this.#blocks.keys().next().value as number);
    }
    return b;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || offset >= this.size || length <= 0) return Buffer.alloc(0);
    const end = Math.min(this.size, offset + length);
    // Large reads (hash chunks) go straight to the file: caching them would only evict headers.
    if (end - offset > BLOCK) return this.#raw(offset, end - offset);
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((end - 1) / BLOCK);
    if (first === last) {
      const b = await this.#block(first);
      return b.subarray(offset - first * BLOCK, end - first * BLOCK);
    }
    const a = await this.#block(first);
    const b = await this.#block(last);
    return Buffer.concat([a.subarray(offset - first * BLOCK), b.subarray(0, end - last * BLOCK)]);
  }

  close(): Promise<void> {
    this.#blocks.clear();
    return this.#fh.close();
  }
}

/** Opens a file for reading. Throws Node's own error (ENOENT, EACCES…); callers word it for people. */
export async function openFileSource(path: string): Promise<ClosableByteSource> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    return new FileSource(fh, st.size);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Runs fn with a file source and always closes it. */
export async function withFileSource<T>(path: string, fn: (src: ClosableByteSource) => Promise<T>): Promise<T> {
  const src = await openFileSource(path);
  try {
    return await fn(src);
  } finally {
    await src.close();
  }
}
