// The audio payload of a file: the byte ranges of the audio stream, i.e. everything a tag writer
// must never change. Its hash is a track's identity (a moved or retagged file keeps it) and the
// tag writer's proof that a write left the audio byte-identical. One walker per container lives
// in payload/; this module picks the walker and hashes what it finds.
import { createHash } from 'node:crypto';
import { BettiError } from '../api/errors.ts';
import { withFileSource, type ByteSource } from './byte-source.ts';
import { aiffPayload } from './payload/aiff.ts';
import { asfPayload } from './payload/asf.ts';
import { ContainerError } from './payload/container-error.ts';
import { flacPayload } from './payload/flac.ts';
import { mp4Payload } from './payload/mp4.ts';
import { mpegPayload } from './payload/mpeg.ts';
import { oggPayload } from './payload/ogg.ts';
import { wavPayload } from './payload/riff.ts';
import { sniffContainer } from './payload/sniff.ts';
import { id3v2TagLength, skipLeadingId3v2, stripTrailingTags } from './payload/tags-around.ts';

export type ContainerFormat = 'mp3' | 'flac' | 'ogg' | 'mp4' | 'wav' | 'aiff' | 'ape' | 'wavpack' | 'asf' | 'unknown';
export interface PayloadSegment {
  offset: number;
  length: number;
}
export interface AudioPayload {
  container: ContainerFormat;
  segments: PayloadSegment[];
  /** Sum of the segment lengths. */
  length: number;
}

/** A container Betti recognised whose structure is broken (truncated, impossible sizes). */
export class MalformedPayloadError extends BettiError {
  readonly container: ContainerFormat;
  /** Byte offset where the structure broke. */
  readonly where: number;
  constructor(path: string, container: ContainerFormat, err: ContainerError) {
    super('unsupported-format', `${path}: ${container === 'unknown' ? 'damaged file' : `malformed ${container.toUpperCase()} file`}: ${err.message}`, {
      path,
      hint: 'The file may be truncated or damaged; check that it plays, or restore it from a backup.',
      cause: err,
    });
    this.name = 'MalformedPayloadError';
    this.container = container;
    this.where = err.where;
  }
}

/** Size of each chunk the sampled hash reads (at the start, the middle and the end of the payload). */
export const SAMPLE_CHUNK = 32 * 1024;
const SAMPLED_DOMAIN = 'betti-payload-sampled-v1';

/** Locates the payload in an already-open source; `name` is the path used in error messages. */
export async function locateAudioPayloadIn(src: ByteSource, name: string): Promise<AudioPayload> {
  let container: ContainerFormat = 'unknown';
  try {
    const start = await skipLeadingId3v2(src);
    const head = await src.read(start, 64);
    const overlong = id3v2TagLength(head);
    if (overlong !== undefined) {
      // skipLeadingId3v2 stops at a tag that does not fit: the file is cut, or the size is garbage.
      throw new ContainerError(`its ID3v2 tag declares ${overlong} bytes but only ${src.size - start} are there (truncated file?)`, start);
    }
    container = sniffContainer(head, start > 0);
    let segments: PayloadSegment[];
    switch (container) {
      case 'mp3':
        segments = await mpegPayload(src, start);
        break;
      case 'ape':
      case 'wavpack': {
        const end = await stripTrailingTags(src, start);
        segments = [{ offset: start, length: end - start }];
        break;
      }
      case 'flac':
        segments = await flacPayload(src, start);
        break;
      case 'ogg':
        segments = await oggPayload(src);
        break;
      case 'mp4':
        segments = await mp4Payload(src);
        break;
      case 'wav':
        segments = await wavPayload(src);
        break;
      case 'aiff':
        segments = await aiffPayload(src);
        break;
      case 'asf':
        segments = await asfPayload(src);
        break;
      case 'unknown':
        throw new BettiError('unsupported-format', `${name}: not a recognised audio container (${src.size === 0 ? 'the file is empty' : 'unknown leading bytes'})`, {
          path: name,
          hint: 'Betti reads MP3, FLAC, Ogg (Vorbis, Opus, FLAC), MP4/M4A, WAV, AIFF, APE, WavPack and WMA.',
        });
    }
    segments = segments.filter((s) => s.length > 0);
    return { container, segments, length: segments.reduce((n, s) => n + s.length, 0) };
  } catch (err) {
    if (err instanceof BettiError) throw err;
    if (err instanceof ContainerError) throw new MalformedPayloadError(name, container, err);
    throw ioError(name, err);
  }
}

export async function locateAudioPayload(path: string): Promise<AudioPayload> {
  return onFile(path, (src) => locateAudioPayloadIn(src, path));
}

function shortRead(missing: number, at: number): BettiError {
  return new BettiError('io', `the file ended ${missing} bytes early while reading its audio (at byte ${at})`);
}

/** The payload bytes from `from` (an offset into the concatenated segments), at most `length` of them. */
async function readPayload(src: ByteSource, payload: AudioPayload, from: number, length: number): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  let skip = from;
  let want = length;
  for (const s of payload.segments) {
    if (want <= 0) break;
    if (skip >= s.length) {
      skip -= s.length;
      continue;
    }
    const n = Math.min(want, s.length - skip);
    const b = await src.read(s.offset + skip, n);
    if (b.length < n) throw shortRead(n - b.length, s.offset + skip + b.length);
    parts.push(b);
    want -= n;
    skip = 0;
  }
  return parts;
}

/** The payload hash over an already-open source. */
export async function hashAudioPayloadIn(src: ByteSource, payload: AudioPayload, mode: 'full' | 'sampled'): Promise<string> {
  const h = createHash('sha256');
  if (mode === 'full') {
    // Segment by segment, a megabyte at a time, each read hashed before the next one reuses its
    // buffer (transient reads: no fresh megabyte, and its page faults, per step).
    const step = 1024 * 1024;
    for (const s of payload.segments) {
      for (let at = 0; at < s.length; at += step) {
        const n = Math.min(step, s.length - at);
        const b = await src.read(s.offset + at, n, true);
        if (b.length < n) throw shortRead(n - b.length, s.offset + at + b.length);
        h.update(b);
      }
    }
    return h.digest('hex');
  }
  // Sampled: the length and three fixed chunks. Enough to tell real recordings apart without
  // reading whole files during a scan; the full hash is what proves a write left the audio intact.
  h.update(`${SAMPLED_DOMAIN}\0${payload.length}\0`);
  const offsets =
    payload.length <= 3 * SAMPLE_CHUNK ? [0] : [0, Math.floor((payload.length - SAMPLE_CHUNK) / 2), payload.length - SAMPLE_CHUNK];
  const chunk = payload.length <= 3 * SAMPLE_CHUNK ? payload.length : SAMPLE_CHUNK;
  for (const o of offsets) for (const b of await readPayload(src, payload, o, chunk)) h.update(b);
  return h.digest('hex');
}

/**
 * sha256 (hex) of the payload: 'full' hashes every byte (used to verify writes); 'sampled' hashes
 * the length plus fixed-size chunks at the start, middle and end: the track fingerprint.
 */
export async function hashAudioPayload(path: string, mode: 'full' | 'sampled', payload?: AudioPayload): Promise<string> {
  return onFile(path, async (src) => {
    const p = payload ?? (await locateAudioPayloadIn(src, path));
    try {
      return await hashAudioPayloadIn(src, p, mode);
    } catch (err) {
      if (err instanceof BettiError && err.path === undefined) throw new BettiError(err.kind, `${path}: ${err.message}`, { path, hint: 'The file changed or was truncated while Betti read it; scan it again.' });
      throw err;
    }
  });
}

async function onFile<T>(path: string, fn: (src: ByteSource) => Promise<T>): Promise<T> {
  try {
    return await withFileSource(path, fn);
  } catch (err) {
    if (err instanceof BettiError) throw err;
    throw ioError(path, err);
  }
}

function ioError(path: string, err: unknown): BettiError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'the file does not exist (moved or deleted?)'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a folder, not a file'
    : (err as Error).message;
  return new BettiError('io', `${path}: cannot read: ${why}`, {
    path,
    hint: code === 'EACCES' || code === 'EPERM' ? 'Give your user read permission on the file.' : 'Check the file and scan again.',
    cause: err,
  });
}
