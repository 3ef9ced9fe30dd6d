// Contract part: writing tags (issue 6). A plan says, per file, which of Betti's fields to set
// (appending to or replacing their values) or remove; a preview shows each field before and
// after; apply runs one transaction per file and records a journal batch; history and undo read
// and replay that journal. Field names and values are checked per file when applying (a bad
// value in one file does not stop the others), so the plan schema only checks shapes and puts
// field names in Betti's form (any case is taken).
import { z } from 'zod';
import { canonicalFieldName } from '../../tags/fields.ts';
import { WireErrorSchema } from './wire-error.ts';
import { method } from './define.ts';
import { WriteMode } from './settings.ts';

export const FileState = z.object({
  size: z.number().int().nonnegative(),
  mtimeMs: z.number().nonnegative(),
  fingerprint: z.string().min(1),
});
export type FileState = z.infer<typeof FileState>;

export const PlanEntry = z
  .object({
    path: z.string().min(1),
    /** Field name → values (GENRE, MOOD, or a custom field such as BETTI_TAGS; any case: "genre" is GENRE). */
    set: z.record(z.string(), z.array(z.string())).default({}),
    /** Fields to remove entirely. */
    remove: z.array(z.string()).default([]),
    /** append (default from settings): add to existing values; replace: the values become exactly these. */
    mode: WriteMode.optional(),
    /** The state the file must still be in (from a preview); refused if it changed. */
    expect: FileState.optional(),
  })
  .strict()
  .transform((entry, ctx) => {
    // Field names in Betti's form, so "genre" and "GENRE" are one field: naming it twice would
    // leave which values win to the order of the JSON keys.
    const set: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(entry.set)) {
      const field = canonicalFieldName(name);
      if (Object.hasOwn(set, field)) ctx.addIssue({ code: 'custom', path: ['set', name], message: `${entry.path}: field ${field} is set twice (as "${name}" and in another case)` });
      set[field] = values;
    }
    return { ...entry, set, remove: [...new Set(entry.remove.map(canonicalFieldName))] };
  });
export type PlanEntry = z.infer<typeof PlanEntry>;

/** What `betti apply --plan FILE` reads; a person or a script can write it. */
export const WritePlan = z.object({ files: z.array(PlanEntry) }).strict();
export type WritePlan = z.infer<typeof WritePlan>;

export const ChangeKind = z.enum(['add', 'append', 'replace', 'remove', 'keep']);
export type ChangeKind = z.infer<typeof ChangeKind>;

export const FieldChange = z.object({
  field: z.string(),
  /** Where it is stored in this file, e.g. "ID3v2.4 TCON", "Vorbis comment MOOD", "MP4 ©gen". */
  location: z.string(),
  before: z.array(z.string()),
  after: z.array(z.string()),
  change: ChangeKind,
});
export type FieldChange = z.infer<typeof FieldChange>;

export const FileError = WireErrorSchema.extend({ format: z.string().optional(), where: z.string().optional() });
export type FileError = z.infer<typeof FileError>;

export const FilePreview = z.object({
  path: z.string(),
  format: z.string().optional(),
  status: z.enum(['change', 'unchanged', 'error']),
  fields: z.array(FieldChange),
  /** Things the write does besides the fields, e.g. "saves the ID3v2.3 tag as ID3v2.4". */
  notes: z.array(z.string()),
  /** The file's state now: pass it back as `expect` to refuse the write if the file changes meanwhile. */
  expect: FileState.optional(),
  error: FileError.optional(),
});
export type FilePreview = z.infer<typeof FilePreview>;

export const PreviewResult = z.object({
  files: z.array(FilePreview),
  summary: z.object({ files: z.number(), change: z.number(), unchanged: z.number(), error: z.number() }),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

export const FileResult = z.object({
  path: z.string(),
  format: z.string().optional(),
  status: z.enum(['ok', 'unchanged', 'failed']),
  fields: z.array(FieldChange),
  error: FileError.optional(),
});
export type FileResult = z.infer<typeof FileResult>;

export const ApplyResult = z.object({
  /** The journal batch (null for a dry run, or when nothing needed writing). */
  batchId: z.number().int().nullable(),
  dryRun: z.boolean(),
  results: z.array(FileResult),
  summary: z.object({ ok: z.number(), unchanged: z.number(), failed: z.number(), durationMs: z.number() }),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

export const BatchSummary = z.object({
  id: z.number().int(),
  kind: z.enum(['apply', 'undo', 'redo']),
  source: z.enum(['plan', 'accepted', 'undo']),
  /** The batch this one undoes (for undo and redo batches). */
  undoes: z.number().int().nullable(),
  /** Batches that undid this one. */
  undoneBy: z.array(z.number().int()),
  status: z.enum(['running', 'done', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  files: z.number(),
  written: z.number(),
  unchanged: z.number(),
  failed: z.number(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const JournalEntry = z.object({
  path: z.string(),
  format: z.string().nullable(),
  status: z.enum(['pending', 'written', 'failed']),
  changes: z.array(z.object({ field: z.string(), before: z.array(z.string()), after: z.array(z.string()) })),
  error: FileError.nullable(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const WriteProgress = z.object({
  batchId: z.number().int().nullable(),
  done: z.number(),
  total: z.number(),
  path: z.string(),
  status: z.enum(['ok', 'unchanged', 'failed']),
});
export type WriteProgress = z.infer<typeof WriteProgress>;

const Accepted = z.object({
  /** Limit to these tracks (default: every track with accepted suggestions). */
  trackIds: z.array(z.number().int()).optional(),
  mode: WriteMode.optional(),
});

export const writeMethods = {
  'write.plan': method({
    summary: 'Turns accepted suggestions into a write plan and previews it.',
    request: Accepted.strict(),
    response: z.object({ plan: WritePlan, preview: PreviewResult }),
  }),
  'write.preview': method({
    summary: 'Every field of every file in a plan, before and after; writes nothing.',
    request: z.object({ plan: WritePlan }).strict(),
    response: PreviewResult,
  }),
  'write.apply': method({
    summary: 'Writes a plan (or the accepted suggestions), one verified atomic transaction per file; records a journal batch.',
    request: z
      .object({
        plan: WritePlan.optional(),
        accepted: Accepted.optional(),
        dryRun: z.boolean().default(false),
      })
      .strict()
      .refine((r) => (r.plan === undefined) !== (r.accepted === undefined), { message: 'give exactly one of `plan` or `accepted`' }),
    response: ApplyResult,
  }),
  'write.history': method({
    summary: 'Journal batches, newest first.',
    request: z.object({ limit: z.number().int().min(1).max(1000).default(50), offset: z.number().int().min(0).default(0) }).strict(),
    response: z.object({ batches: z.array(BatchSummary), total: z.number() }),
  }),
  'write.batch': method({
    summary: 'One journal batch with every file it touched and the values before and after.',
    request: z.object({ id: z.number().int() }).strict(),
    response: z.object({ batch: BatchSummary, entries: z.array(JournalEntry) }),
  }),
  'write.undo': method({
    summary: 'Restores every field a batch changed (or the last N batches); refuses files changed since. Undoing an undo is a redo.',
    request: z
      .object({ batchId: z.number().int().optional(), last: z.number().int().min(1).max(1000).optional() })
      .strict()
      .refine((r) => !(r.batchId !== undefined && r.last !== undefined), { message: 'give `batchId` or `last`, not both' }),
    response: z.object({ undone: z.array(z.number().int()), batches: z.array(ApplyResult) }),
  }),
};

export const writeEvents = {
  'write.progress': WriteProgress,
};
