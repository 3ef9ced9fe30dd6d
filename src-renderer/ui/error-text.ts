// Errors in words (DESIGN.md: "errors, if any, in words"). Every error that reaches the UI is a
// BettiError rebuilt from the wire (lib/client.ts); its kind is a closed union, so this switch is
// exhaustive and a new kind fails to compile until it has a heading here.
import { BettiError, type ErrorKind } from '../../src-main/api/errors.ts';

export interface ErrorText {
  /** A short heading: what kind of thing went wrong. */
  title: string;
  /** What happened (the core's message, which names the file or field). */
  message: string;
  /** What to do next, when the core knows. */
  hint: string | undefined;
  path: string | undefined;
}

export function headingOf(kind: ErrorKind): string {
  switch (kind) {
    case 'invalid-request':
      return 'Betti refused the request';
    case 'not-found':
      return 'Not found';
    case 'file-changed':
      return 'The file changed since Betti read it';
    case 'unsupported-format':
      return 'Format not supported';
    case 'decode-failed':
      return 'The audio could not be decoded';
    case 'tag-read-failed':
      return 'The tags could not be read';
    case 'tag-write-failed':
      return 'The tags could not be written';
    case 'model-invalid':
      return 'The model files are not usable';
    case 'version-mismatch':
      return 'Version mismatch';
    case 'cancelled':
      return 'Cancelled';
    case 'busy':
      return 'Busy';
    case 'io':
      return 'File system error';
    case 'internal':
      return 'Something went wrong inside Betti';
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

/** Any thrown value as words a person can act on. */
export function errorText(err: unknown): ErrorText {
  if (err instanceof BettiError) return { title: headingOf(err.kind), message: err.message, hint: err.hint, path: err.path };
  if (err instanceof TypeError && /fetch/i.test(err.message)) {
    return { title: 'Cannot reach Betti', message: err.message, hint: 'Is `betti serve` still running? Start it again and open the URL it prints.', path: undefined };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { title: headingOf('internal'), message, hint: undefined, path: undefined };
}
