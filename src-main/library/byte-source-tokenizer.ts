// music-metadata reads a file through a strtok3 tokenizer. Its own file tokenizers read every token
// with a separate asynchronous call (and parseBlob reads through a Blob); this one serves the tag
// parser from the scanner's ByteSource, whose cached blocks (byte-source.ts) the payload walk has
// usually filled already, so a large file's tags cost a few block reads instead of dozens of
// thread-pool round trips.
import { AbstractTokenizer, EndOfStreamError, type IFileInfo, type IReadChunkOptions } from 'strtok3';
import type { ByteSource } from './byte-source.ts';

export class ByteSourceTokenizer extends AbstractTokenizer {
  readonly fileInfo: IFileInfo;
  readonly #source: ByteSource;

  constructor(source: ByteSource, fileInfo: IFileInfo) {
    super();
    this.#source = source;
    this.fileInfo = { ...fileInfo, size: source.size };
  }

  supportsRandomAccess(): boolean {
    return true;
  }

  setPosition(position: number): void {
    this.validateLength(position, 'position');
    this.position = position;
  }

  async readBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const o = this.normalizeOptions(target, options);
    const n = await this.#copy(target, o.position, o.length, o.mayBeLess === true);
    this.position = o.position + n;
    return n;
  }

  peekBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const o = this.normalizeOptions(target, options);
    return this.#copy(target, o.position, o.length, o.mayBeLess === true);
  }

  async #copy(target: Uint8Array, position: number, length: number, mayBeLess: boolean): Promise<number> {
    const bytes = await this.#source.read(position, length);
    if (bytes.length < length && !mayBeLess) throw new EndOfStreamError();
    target.set(bytes, 0);
    return bytes.length;
  }
}
