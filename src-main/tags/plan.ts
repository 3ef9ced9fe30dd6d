// A write plan per file: which of Betti's fields to add to, replace or remove, computed from the
// plan entry (a plan file, accepted suggestions, or an undo) and the person's settings against
// what the file holds now; and the preview of it, each field's values before and after.
import { resolve } from 'node:path';
import type { WriteSettings } from '../api/schemas/settings.ts';
import type { ChangeKind, FieldChange, FilePreview, PlanEntry, PreviewResult } from '../api/schemas/write.ts';
import { asTagError, UnsupportedFormatError, UnwritableValueError } from './errors.ts';
import { fieldLocation, fieldNameProblem, GENRE, GROUPING, MAX_VALUES_PER_FIELD, MOOD, valueProblem, type FieldLocation, type Id3Version, type TagSystem } from './fields.ts';
import { readFileState, type FileState } from './file-state.ts';
import { readSnapshot, type TagSnapshot } from './snapshot.ts';
import type { FieldWrite } from './writer.ts';

/** A plan entry as the apply step uses it: the public entry plus what undo knows. */
export interface PlanItem extends PlanEntry {
  /** Undo: the values the file must still hold (what Betti wrote); otherwise the file changed. */
  expectValues?: Record<string, string[]> | undefined;
  /** Undo: the ID3v2 version the file had before Betti wrote it. */
  id3Version?: Id3Version | undefined;
}

export interface FilePlan {
  /** Every field the entry names, with its values before and after ('keep' when equal). */
  readonly changes: FieldChange[];
  /** What the writer writes (empty: the file is left alone). */
  readonly writes: FieldWrite[];
  readonly notes: string[];
  /** The ID3v2 version written (id3v2 formats). */
  readonly id3Version: Id3Version;
}

export function describeLocation(loc: FieldLocation, id3Version: Id3Version): string {
  switch (loc.system) {
    case 'id3v2':
      return `ID3v${id3Version} ${loc.kind === 'text' ? loc.frame : `TXXX:${loc.description}`}`;
    case 'vorbis':
      return `Vorbis comment ${loc.key}`;
    case 'mp4':
      return loc.kind === 'atom' ? `MP4 ${loc.atom}` : `MP4 ----:${loc.mean}:${loc.name}`;
  }
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function changeKind(before: readonly string[], after: readonly string[]): ChangeKind {
  if (same(before, after)) return 'keep';
  if (before.length === 0) return 'add';
  if (after.length === 0) return 'remove';
  if (after.length > before.length && same(before, after.slice(0, before.length))) return 'append';
  return 'replace';
}

function preview(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(short);
}

function checkValues(field: string, values: readonly string[], system: TagSystem, version: Id3Version, separator: string, path: string, format: string): void {
  if (values.length > MAX_VALUES_PER_FIELD) {
    throw new UnwritableValueError(`${path}: ${field} has ${values.length} values; Betti writes at most ${MAX_VALUES_PER_FIELD} per field.`, { path, format, where: field });
  }
  values.forEach((v, i) => {
    const problem = valueProblem(v, system, version, separator);
    if (problem) {
      throw new UnwritableValueError(`${path}: cannot write ${field} value ${i + 1} (${preview(v)}): ${problem}.`, {
        path,
        format,
        where: field,
        hint: 'Fix the value in the plan; the other files are written as planned.',
      });
    }
  });
}

/**
 * The plan for one file against what it holds now. Throws UnwritableValueError for a field name
 * or value this format cannot store faithfully, UnsupportedFormatError for an ID3v2.2 tag.
 */
export function planFile(item: PlanItem, snap: TagSnapshot, settings: WriteSettings): FilePlan {
  const { path, format, system } = snap;
  const id3Version = item.id3Version ?? settings.id3Version;
  const separator = settings.id3v23Separator;
  if (system === 'id3v2' && snap.id3Version === '2.2') {
    throw new UnsupportedFormatError(`${path} has an ID3v2.2 tag, which Betti does not rewrite.`, {
      path,
      format,
      where: 'ID3v2.2',
      hint: 'Convert the tag to ID3v2.3 or 2.4 with another tagger (e.g. `mid3v2 --convert`), then try again.',
    });
  }
  const mode = item.mode ?? settings.defaultMode;
  const named = [...Object.keys(item.set), ...item.remove];
  for (const field of named) {
    const problem = fieldNameProblem(field);
    if (problem) throw new UnwritableValueError(`${path}: ${problem}.`, { path, format, where: field });
  }
  for (const field of item.remove) {
    if (Object.hasOwn(item.set, field)) throw new UnwritableValueError(`${path}: ${field} is both set and removed.`, { path, format, where: field });
  }

  const changes: FieldChange[] = [];
  for (const field of named) {
    const before = snap.values(field);
    const values = Object.hasOwn(item.set, field) ? (item.set[field] ?? []) : [];
    const after = item.remove.includes(field) ? [] : mode === 'append' ? dedupe([...before, ...values]) : dedupe(values);
    checkValues(field, after, system, id3Version, separator, path, format);
    const loc = fieldLocation(system, field, id3Version);
    changes.push({ field, location: describeLocation(loc, id3Version), before, after, change: changeKind(before, after) });
  }

  const writes: FieldWrite[] = changes.filter((c) => c.change !== 'keep').map((c) => ({ field: c.field, values: c.after }));
  const notes: string[] = [];
  if (writes.length > 0 && system === 'id3v2' && snap.id3Version && snap.id3Version !== id3Version) {
    // The whole tag is saved in the new version: carry Betti's other fields over to where that
    // version keeps them (TMOO ↔ TXXX:MOOD, NUL-separated ↔ joined), values unchanged.
    notes.push(`saves the ID3v${snap.id3Version} tag as ID3v${id3Version}`);
    for (const field of new Set([GENRE, MOOD, GROUPING, settings.customField])) {
      if (writes.some((w) => w.field === field)) continue;
      const values = snap.values(field);
      if (values.length === 0) continue;
      checkValues(field, values, system, id3Version, separator, path, format);
      writes.push({ field, values });
    }
  }
  if (writes.length > 0 && system === 'id3v2' && !snap.id3Version) notes.push(`adds an ID3v${id3Version} tag`);
  return { changes, writes, notes, id3Version };
}

/** Plan paths are absolute after this (relative ones are taken from the current folder). */
export function absolutePath(path: string): string {
  return resolve(path);
}

/** The preview of a whole plan: each file's fields before and after, or why it cannot be written. */
export async function previewPlan(items: readonly PlanItem[], settings: WriteSettings): Promise<PreviewResult> {
  const files: FilePreview[] = [];
  for (const item of items) {
    const path = absolutePath(item.path);
    try {
      const expect: FileState = await readFileState(path);
      const snap = await readSnapshot(path, settings.id3v23Separator);
      const plan = planFile({ ...item, path }, snap, settings);
      files.push({ path, format: snap.format, status: plan.writes.length ? 'change' : 'unchanged', fields: plan.changes, notes: plan.notes, expect });
    } catch (err) {
      files.push({ path, status: 'error', fields: [], notes: [], error: asTagError(err, path, 'read').toWire() });
    }
  }
  const count = (s: FilePreview['status']) => files.filter((f) => f.status === s).length;
  return { files, summary: { files: files.length, change: count('change'), unchanged: count('unchanged'), error: count('error') } };
}

