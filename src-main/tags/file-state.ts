// A file's identity for "changed since Betti read it" (size, modification time, the sampled
// audio fingerprint the library stores) and the message that says what changed.
import { stat } from 'node:fs/promises';
import type { FileState } from '../library/db/queries/journal.ts';
import { hashAudioPayload } from '../library/audio-payload.ts';

export type { FileState };

export async function readFileState(path: string): Promise<FileState> {
  const st = await stat(path);
  return { size: st.size, mtimeMs: st.mtimeMs, fingerprint: await hashAudioPayload(path, 'sampled') };
}

/** Size and mtime only: cheap, and what most edits change. */
export function sameStat(a: { size: number; mtimeMs: number }, b: { size: number; mtimeMs: number }): boolean {
  // mtimes travel through SQLite REAL and JSON as doubles; allow for a rounding in the last digit.
  return a.size === b.size && Math.abs(a.mtimeMs - b.mtimeMs) < 0.001;
}

export function sameState(a: FileState, b: FileState): boolean {
  return sameStat(a, b) && a.fingerprint === b.fingerprint;
}

/** "size 1,204 → 1,310 bytes; modified 2025-… → 2025-…; audio differs" */
export function describeChange(expected: FileState, actual: FileState): string {
  const parts: string[] = [];
  if (expected.size !== actual.size) parts.push(`size ${expected.size} → ${actual.size} bytes`);
  if (Math.abs(expected.mtimeMs - actual.mtimeMs) >= 0.001) {
    parts.push(`modified ${new Date(expected.mtimeMs).toISOString()} → ${new Date(actual.mtimeMs).toISOString()}`);
  }
  if (expected.fingerprint !== actual.fingerprint) parts.push('the audio differs');
  return parts.join('; ') || 'no difference';
}
