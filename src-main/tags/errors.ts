// The tag writer's error families (../shared/STYLE.md §3). Each carries the file, its format and
// `where` it went wrong (a frame, a Vorbis key, an atom, or the step of the write transaction),
// so a per-file result tells a person what happened, where, and what to do next.
import { BettiError, type ErrorKind, type WireError } from '../api/errors.ts';

export interface TagErrorOptions {
  path: string;
  /** The format as Betti names it (mp3, flac, …), when known. */
  format?: string | undefined;
  /** A frame / key / atom, or the transaction step (`copy`, `write`, `verify`, `rename`, …). */
  where?: string | undefined;
  hint?: string | undefined;
  cause?: unknown;
}

/** A per-file error as results carry it: the wire error plus the format and the place. */
export interface FileErrorWire extends WireError {
  format?: string;
  where?: string;
}

export class TagError extends BettiError {
  readonly format: string | undefined;
  readonly where: string | undefined;
  constructor(kind: ErrorKind, message: string, opts: TagErrorOptions) {
    super(kind, message, { path: opts.path, hint: opts.hint, cause: opts.cause });
    this.name = 'TagError';
    this.format = opts.format;
    this.where = opts.where;
  }

  override toWire(): FileErrorWire {
    const wire: FileErrorWire = super.toWire();
    if (this.format !== undefined) wire.format = this.format;
    if (this.where !== undefined) wire.where = this.where;
    return wire;
  }
}

/** Writing (or verifying what was written) failed; the original is untouched. */
export class TagWriteError extends TagError {
  constructor(message: string, opts: TagErrorOptions) {
    super('tag-write-failed', message, opts);
    this.name = 'TagWriteError';
  }
}

/** The tags could not be read, so nothing can be planned or verified for this file. */
export class TagReadError extends TagError {
  constructor(message: string, opts: TagErrorOptions) {
    super('tag-read-failed', message, opts);
    this.name = 'TagReadError';
  }
}

/** The file is not one of the formats Betti writes. */
export class UnsupportedFormatError extends TagError {
  constructor(message: string, opts: TagErrorOptions) {
    super('unsupported-format', message, opts);
    this.name = 'UnsupportedFormatError';
  }
}

/** The file is not what Betti read (size, mtime, audio fingerprint or tag values differ). */
export class FileChangedError extends TagError {
  constructor(message: string, opts: TagErrorOptions) {
    super('file-changed', message, opts);
    this.name = 'FileChangedError';
  }
}

/** A value or field name that this format cannot store so that it reads back the same. */
export class UnwritableValueError extends TagError {
  constructor(message: string, opts: TagErrorOptions) {
    super('invalid-request', message, opts);
    this.name = 'UnwritableValueError';
  }
}

/** A file-system failure (read-only, full disk, gone, locked) at one step of the transaction. */
export class WriteIoError extends TagError {
  constructor(message: string, opts: TagErrorOptions) {
    super('io', message, opts);
    this.name = 'WriteIoError';
  }
}

/** Any thrown value as a per-file wire error (unknown errors become `internal`, message kept). */
export function toFileErrorWire(err: unknown, path: string): FileErrorWire {
  if (err instanceof TagError) return err.toWire();
  if (err instanceof BettiError) return { ...err.toWire(), path: err.path ?? path };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: `${path}: ${message}`, path };
}
