// File-system failures (ENOENT, EACCES…) in words a person can act on.

/** A file-system error in words a person can act on. */
export function fsMessage(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${path}: the file disappeared before Betti could read it (moved or deleted during the scan?)`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied; give your user read permission on the file`;
    case 'EISDIR':
      return `${path}: a folder, not a file`;
    case 'ENAMETOOLONG':
      return `${path}: the path is longer than the system allows`;
    case 'ELOOP':
      return `${path}: too many levels of symbolic links`;
    default:
      return `${path}: cannot read the file: ${(err as Error).message ?? String(err)}`;
  }
}
