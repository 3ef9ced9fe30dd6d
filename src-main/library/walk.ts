// Finds the audio files under the folders a person asked to scan. Symbolic links are followed;
// a folder reached twice (a link loop, or two links to one folder) is walked once, found by its
// device and inode. Whatever cannot be listed or read becomes a WalkIssue and the walk goes on.
// Listing is synchronous (far faster than one promise per entry on large libraries) and yields to
// the event loop every 25 ms of walking, so a cancel or a progress event gets through.
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { normalize, sep } from 'node:path';
import { classifyFileName, sniffAudioFile } from './audio-files.ts';
import { fsMessage } from './fs-errors.ts';

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Something the walk could not look at. `path` is the folder or file. */
export interface WalkIssue {
  path: string;
  message: string;
  code?: string;
  /** A folder whose contents are unknown: tracks under it must not be taken for missing. */
  folder: boolean;
}

export interface WalkResult {
  /** Audio files found (each was handed to `onFile`). */
  found: number;
  issues: WalkIssue[];
  /** Files whose names are not valid UTF-8: found, but not addressable by a string path. */
  badNames: FoundFile[];
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Called now and then with the number of audio files found so far. */
  onFound?: (count: number, folder: string) => void;
}

/**
 * Called with each audio file as soon as it is known to be one (files that need sniffing come at
 * the end), so the caller can start reading while the walk goes on. The walk keeps no list of
 * them: on a rescan of a large library, a list held to the end of the walk is most of what
 * outlives the young generation, and so of what a rescan spends in garbage collection.
 */
export type OnFile = (file: FoundFile) => void;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/**
 * Longest the walk holds its thread between two yields, so that a cancel, read results and (in the
 * app's main process) the window's requests get through. By the clock, not by a count of entries:
 * on a network share a stat can take a millisecond, and 500 entries would then be half a second.
 */
const YIELD_AFTER_MS = 25;
/** Entries between two looks at the clock. */
const CLOCK_EVERY = 8;

function isValidUtf8Name(raw: Buffer): boolean {
  // Most names are ASCII, which is valid UTF-8 as it is; only others need the round trip.
  let ascii = true;
  for (let i = 0; i < raw.length && ascii; i++) ascii = raw[i]! < 0x80;
  return ascii || Buffer.from(raw.toString('utf8'), 'utf8').equals(raw);
}

/**
 * Names are listed as strings: no Buffer and no decoding per entry, about a fifth of a rescan's
 * walk. A name that is not valid UTF-8 decodes with U+FFFD in it, so only a folder listing such a
 * string is listed again as bytes, to tell those names (returned in `invalid`, and dropped from
 * `entries`) from real names that contain U+FFFD. Throws if the second listing fails.
 */
function splitInvalidNames(dir: string, entries: Dirent[]): { entries: Dirent[]; invalid: Buffer[] } {
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return { entries, invalid: [] };
  const invalid = readdirSync(dir, { encoding: 'buffer' }).filter((name) => !isValidUtf8Name(name));
  // One listed string is dropped per invalid name (a real name may decode to the same string).
  const toDrop = new Map<string, number>();
  for (const name of invalid) {
    const decoded = name.toString('utf8');
    toDrop.set(decoded, (toDrop.get(decoded) ?? 0) + 1);
  }
  const kept = entries.filter((e) => {
    const n = toDrop.get(e.name);
    if (!n) return true;
    toDrop.set(e.name, n - 1);
    return false;
  });
  return { entries: kept, invalid };
}

/** Files already found, by device and inode: numbers, so a rescan builds no key strings. */
class SeenFiles {
  readonly #byDevice = new Map<number, Set<number>>();

  /** True the first time a (device, inode) pair is added. */
  add(st: Stats): boolean {
    let inodes = this.#byDevice.get(st.dev);
    if (!inodes) {
      inodes = new Set();
      this.#byDevice.set(st.dev, inodes);
    }
    if (inodes.has(st.ino)) return false;
    inodes.add(st.ino);
    return true;
  }
}

function issueOf(path: string, err: unknown, folder: boolean): WalkIssue {
  const code = (err as NodeJS.ErrnoException).code;
  const message = folder && code === 'EACCES' ? `${path}: cannot list this folder: permission denied` : fsMessage(path, err);
  return code ? { path, message, code, folder } : { path, message, folder };
}

/** Walks `roots` (absolute paths of folders or single files), handing each audio file to `onFile`. */
export async function walkAudioFiles(roots: readonly string[], onFile: OnFile, opts: WalkOptions = {}): Promise<WalkResult> {
  const result: WalkResult = { found: 0, issues: [], badNames: [] };
  const seenDirs = new Set<string>();
  const seenFiles = new SeenFiles();
  const pendingSniff: FoundFile[] = [];
  const stack: string[] = [];

  const addFile = (path: string, st: Stats, sniff: boolean) => {
    // The same file reached through two links (or hard links) is one track, found once.
    if (!seenFiles.add(st)) return;
    const f = { path, size: st.size, mtimeMs: st.mtimeMs };
    if (sniff) {
      pendingSniff.push(f);
    } else {
      result.found += 1;
      onFile(f);
    }
  };

  const enterDir = (path: string, st: Stats) => {
    const id = `${st.dev}:${st.ino}`;
    if (seenDirs.has(id)) return; // a symlink loop or a second link to a folder already walked
    seenDirs.add(id);
    stack.push(path);
  };

  for (const root of roots) {
    try {
      const st = statSync(root);
      if (st.isDirectory()) enterDir(normalize(root), st); // paths below are built by concatenation
      else if (st.isFile()) addFile(root, st, false);
      else result.issues.push({ path: root, message: `${root}: neither a folder nor a file`, folder: false });
    } catch (err) {
      result.issues.push(issueOf(root, err, true));
    }
  }

  let lastYield = performance.now();
  const yieldNow = async (folder: string) => {
    opts.onFound?.(result.found + pendingSniff.length, folder);
    await yieldToEventLoop();
    lastYield = performance.now();
  };
  let sinceClock = 0;
  while (stack.length > 0) {
    if (performance.now() - lastYield >= YIELD_AFTER_MS) await yieldNow(stack.at(-1)!);
    if (opts.signal?.aborted) break;
    const dir = stack.pop()!;
    let entries: Dirent[];
    let invalid: Buffer[];
    try {
      ({ entries, invalid } = splitInvalidNames(dir, readdirSync(dir, { withFileTypes: true })));
    } catch (err) {
      result.issues.push(issueOf(dir, err, true));
      continue;
    }
    // `dir` is absolute and normalised, and a listed name holds no separator: no path.join needed.
    const dirPrefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const name of invalid) {
      // Node addresses files by string; this name cannot round-trip. Report it with its size so
      // the scan stores a clear error instead of failing on a path that does not exist.
      const decoded = name.toString('utf8');
      const path = dirPrefix + decoded;
      try {
        const st = statSync(Buffer.concat([Buffer.from(dirPrefix), name]));
        if (st.isFile() && classifyFileName(decoded) !== 'skip') result.badNames.push({ path, size: st.size, mtimeMs: st.mtimeMs });
        else if (st.isDirectory()) result.issues.push({ path, message: `${path}: the folder name is not valid UTF-8, so Betti cannot open it; rename it to scan what it holds`, folder: true });
      } catch (err) {
        result.issues.push(issueOf(path, err, false));
      }
    }
    // Sorted so the scan order (and so which of two identical files keeps a moved row) is stable.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: [string, Stats][] = [];
    for (const e of entries) {
      if (++sinceClock === CLOCK_EVERY) {
        sinceClock = 0;
        if (performance.now() - lastYield >= YIELD_AFTER_MS) await yieldNow(dir);
      }
      const name = e.name;
      if (name.charCodeAt(0) === 46) continue; // '.': hidden files and folders (.git, .Trash, ._resource forks)
      // Files first: they are most entries, and a rescan runs this before the JIT has warmed up.
      const kind = e.isFile() ? classifyFileName(name) : e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'link' : 'skip'; // 'skip': sockets, fifos, devices
      if (kind === 'skip') continue;
      const path = dirPrefix + name;
      let st: Stats;
      try {
        st = statSync(path); // follows links
      } catch (err) {
        // A dangling link is not worth a complaint unless it looks like audio.
        if (kind !== 'link' || classifyFileName(name) === 'audio-extension') result.issues.push(issueOf(path, err, false));
        continue;
      }
      if (st.isDirectory()) subdirs.push([path, st]);
      else if (st.isFile()) {
        const fileKind = kind === 'dir' || kind === 'link' ? classifyFileName(name) : kind;
        if (fileKind !== 'skip') addFile(path, st, fileKind === 'sniff');
      }
    }
    // Pushed in reverse so folders are walked in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) enterDir(...subdirs[i]!);
  }

  for (const f of pendingSniff) {
    if (opts.signal?.aborted) break;
    if ((await sniffAudioFile(f.path)) !== 'unknown') {
      result.found += 1;
      onFile(f);
    }
  }
  opts.onFound?.(result.found, '');
  return result;
}
