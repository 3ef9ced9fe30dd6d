// The error shape that crosses every boundary (IPC, HTTP, CLI --json). `kind` is a closed union so
// the renderer and the CLI can switch on it exhaustively (../shared/STYLE.md §3).
// No zod here: worker threads (the scan's readers, the analysis workers) throw BettiErrors and
// would otherwise load all of zod at start-up; the runtime schema is schemas/wire-error.ts.

export const errorKinds = [
  'invalid-request', // the caller sent something the schema refuses
  'not-found', // a track, file, batch or model that is not there
  'file-changed', // a file changed since Betti read it
  'unsupported-format',
  'decode-failed',
  'tag-read-failed',
  'tag-write-failed',
  'model-invalid',
  'version-mismatch',
  'cancelled',
  'busy', // another long operation of the same kind is running
  'io',
  'internal',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

/** What crosses a boundary; validated on the receiving side by schemas/wire-error.ts. */
export interface WireError {
  kind: ErrorKind;
  message: string;
  path?: string | undefined;
  hint?: string | undefined;
}

/** Base class of every error Betti means to show a person: what happened, where, what to do next. */
export class BettiError extends Error {
  readonly kind: ErrorKind;
  readonly path: string | undefined;
  readonly hint: string | undefined;
  constructor(kind: ErrorKind, message: string, opts: { path?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BettiError';
    this.kind = kind;
    this.path = opts.path;
    this.hint = opts.hint;
  }

  toWire(): WireError {
    const wire: WireError = { kind: this.kind, message: this.message };
    if (this.path !== undefined) wire.path = this.path;
    if (this.hint !== undefined) wire.hint = this.hint;
    return wire;
  }
}

/** Any thrown value as a wire error; unknown errors become `internal` with their message kept. */
export function toWireError(err: unknown): WireError {
  if (err instanceof BettiError) return err.toWire();
  if (err instanceof Error) return { kind: 'internal', message: err.message };
  return { kind: 'internal', message: String(err) };
}

/** Rebuilds a BettiError on the far side of a transport, so callers can `instanceof` and switch on kind. */
export function fromWireError(wire: WireError): BettiError {
  const opts: { path?: string; hint?: string } = {};
  if (wire.path !== undefined) opts.path = wire.path;
  if (wire.hint !== undefined) opts.hint = wire.hint;
  return new BettiError(wire.kind, wire.message, opts);
}
