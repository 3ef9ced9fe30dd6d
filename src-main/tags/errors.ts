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

const IO_REASONS: Record<string, { why: string; hint: string }> = {
  ENOSPC: { why: 'the disk is full', hint: 'Free some space on that disk and apply again; nothing was changed.' },
  EDQUOT: { why: 'your disk quota is used up', hint: 'Free some space and apply again; nothing was changed.' },
  EROFS: { why: 'the file system is mounted read-only', hint: 'Remount it writable if you want Betti to tag these files.' },
  EACCES: { why: 'permission denied', hint: 'Give your user write permission on the file and its folder.' },
  EPERM: { why: 'the operation is not permitted (the file may be locked, immutable or owned by another user)', hint: 'Close programs using the file and check its permissions.' },
  ENOENT: { why: 'the file or its folder no longer exists (moved or deleted?)', hint: 'Scan the folder again, then write again.' },
  ENOTDIR: { why: 'a folder in its path is no longer a folder', hint: 'Scan the folder again, then write again.' },
  EISDIR: { why: 'it is a folder, not a file', hint: 'Name audio files in the plan, not folders.' },
  EBUSY: { why: 'the file is in use by another program', hint: 'Close the program using it (a player?) and apply again.' },
  ETXTBSY: { why: 'the file is in use by another program', hint: 'Close the program using it and apply again.' },
  EIO: { why: 'the disk reported an I/O error', hint: 'Check the disk (it may be failing or disconnected); nothing was changed.' },
  ENAMETOOLONG: { why: 'the path is too long for the file system', hint: 'Shorten the folder or file name.' },
  EMFILE: { why: 'too many files are open', hint: 'Close other programs and apply again.' },
};

/** A file-system error at one step as a WriteIoError that says why and what to do. */
export function ioError(err: NodeJS.ErrnoException, path: string, where: string, format?: string): WriteIoError {
  const reason = IO_REASONS[err.code ?? ''];
  const why = reason?.why ?? err.message;
  return new WriteIoError(`${path}: cannot ${STEP_VERBS[where] ?? where}: ${why}${reason && err.code ? ` (${err.code})` : ''}.`, {
    path,
    format,
    where,
    hint: reason?.hint ?? 'Check the file and the disk, then apply again; the original is untouched.',
    cause: err,
  });
}

const STEP_VERBS: Record<string, string> = {
  read: 'read it',
  stat: 'look at it',
  permissions: 'write it',
  copy: 'make the temporary copy beside it',
  write: 'write the tags into the temporary copy',
  fsync: 'flush the temporary copy to disk',
  verify: 'verify the temporary copy',
  rename: 'replace it with the written copy',
};

/** Any thrown value as a TagError for one file (unknown errors become `internal`, message kept). */
export function asTagError(err: unknown, path: string, where: string, format?: string): TagError {
  if (err instanceof TagError) return err;
  if (err instanceof BettiError) {
    return new TagError(err.kind, err.message, { path: err.path ?? path, format, where, hint: err.hint, cause: err });
  }
  if (err && typeof err === 'object' && 'code' in err && typeof (err as NodeJS.ErrnoException).code === 'string') {
    return ioError(err as NodeJS.ErrnoException, path, where, format);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TagError('internal', `${path}: ${message}`, {
    path,
    format,
    where,
    hint: 'This is a bug in Betti; the original file is untouched. Please report it with the message above.',
    cause: err,
  });
}
