// Verification of a written temporary copy before it may replace the original: a fresh parse by
// music-metadata (not the writer's own view) must find every planned value exactly (order and
// Unicode included), Betti's other fields and everything else unchanged, the ID3v1 trailer as
// found, the audio payload byte-identical to the original's (sha256 of every payload byte), and
// for MP4 the chunk offset tables still pointing at that audio.
import { hashAudioPayload } from '../library/audio-payload.ts';
import { TagWriteError } from './errors.ts';
import { GENRE, GROUPING, MOOD, type Id3Version } from './fields.ts';
import { readId3v1 } from './id3v1.ts';
import { mp4ChunkOffsets } from './mp4-chunk-offsets.ts';
import { preservedDifferences, readSnapshot, type TagSnapshot } from './snapshot.ts';
import type { FieldWrite } from './writer.ts';

export interface VerifyRequest {
  readonly copyPath: string;
  /** Path named in messages (the original's). */
  readonly path: string;
  readonly original: TagSnapshot;
  /** The original's full payload hash (computed once, before the copy was written). */
  readonly originalAudioHash: string;
  readonly originalId3v1: Buffer | undefined;
  readonly writes: readonly FieldWrite[];
  readonly id3Version: Id3Version;
  readonly separator: string;
}

function show(values: readonly string[]): string {
  const s = JSON.stringify(values);
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

export async function verifyCopy(req: VerifyRequest): Promise<void> {
  const { path, original } = req;
  const fail = (message: string, where: string) =>
    new TagWriteError(`${path}: the written copy failed verification: ${message}. The original is untouched.`, {
      path,
      format: original.format,
      where,
      hint: 'This is a bug in Betti or its tag writer for this file; please report it with the file if you can.',
    });

  const copy = await readSnapshot(req.copyPath, req.separator);
  if (copy.format !== original.format) throw fail(`it reads as ${copy.format}, not ${original.format}`, 'format');
  // An ID3v2 tag left empty (an undo removing everything Betti added) is not written at all.
  const emptied = req.writes.every((w) => w.values.length === 0);
  if (original.system === 'id3v2' && copy.id3Version !== req.id3Version && !(copy.id3Version === undefined && emptied)) {
    throw fail(`its ID3v2 tag is version ${copy.id3Version ?? 'none'}, expected ${req.id3Version}`, 'ID3v2 header');
  }
  const written = new Set(req.writes.map((w) => w.field));
  for (const w of req.writes) {
    const got = copy.values(w.field);
    if (got.length !== w.values.length || got.some((v, i) => v !== w.values[i])) {
      throw fail(`${w.field} reads back as ${show(got)}, expected ${show(w.values)}`, w.field);
    }
  }
  for (const field of [GENRE, MOOD]) {
    if (written.has(field)) continue;
    const before = original.values(field);
    const got = copy.values(field);
    if (got.length !== before.length || got.some((v, i) => v !== before[i])) {
      throw fail(`${field} changed from ${show(before)} to ${show(got)} although the plan did not touch it`, field);
    }
  }
  // A written GROUPING was checked value by value above; music-metadata's common.grouping (TIT1 or
  // GRP1) is compared with everything else only when GROUPING was not written.
  const changed = preservedDifferences(original.preserved, copy.preserved).filter((k) => !(written.has(GROUPING) && k === 'common.grouping'));
  if (changed.length) throw fail(`other tag data changed (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''})`, changed[0] ?? 'tags');
  const id3v1 = await readId3v1(req.copyPath);
  if (!(id3v1 === undefined ? req.originalId3v1 === undefined : req.originalId3v1?.equals(id3v1))) throw fail('the ID3v1 tag is not as found', 'ID3v1');
  const audio = await hashAudioPayload(req.copyPath, 'full');
  if (audio !== req.originalAudioHash) throw fail('the audio payload is not byte-identical to the original', 'audio payload');
  if (original.system === 'mp4') {
    const [before, after] = [await mp4ChunkOffsets(original.path), await mp4ChunkOffsets(req.copyPath)];
    if (JSON.stringify(before) !== JSON.stringify(after)) throw fail('its chunk offset tables (stco/co64) no longer point at the same audio', 'stco');
  }
}
