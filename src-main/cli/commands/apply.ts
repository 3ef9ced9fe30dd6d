// `betti apply --plan FILE | --accepted [--dry-run]`: writes tags, one verified atomic
// transaction per file, recorded as one journal batch that `betti undo` reverts. A plan file is
// JSON: {"files": [{"path": "…", "set": {"GENRE": ["Ambient"]}, "mode": "append" | "replace"}]}
// ("-" reads it from standard input); relative paths are taken from the plan file's folder.
// Exit status 1 when any file failed.
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { BettiError } from '../../api/errors.ts';
import { WritePlan, type ApplyResult, type FieldChange, type FileResult } from '../../api/schemas/write.ts';
import { defineCommand, type CliContext } from '../command.ts';
import { writeModeOption } from './settings.ts';

const SHOWN_FAILURES = 20;
const SHOWN_FILES = 50;

function values(v: readonly string[]): string {
  return v.length ? v.map((s) => JSON.stringify(s)).join(', ') : '(none)';
}

export function fieldLine(c: FieldChange): string {
  if (c.change === 'keep') return `${c.field}: unchanged`;
  if (c.change === 'append' || c.change === 'add') return `${c.field} += ${values(c.after.slice(c.before.length))}`;
  if (c.change === 'remove') return `${c.field}: removed (was ${values(c.before)})`;
  return `${c.field}: ${values(c.before)} → ${values(c.after)}`;
}

function fileLines(r: FileResult, dryRun: boolean): string[] {
  if (r.status === 'failed') {
    const out = [`failed    ${r.path}`, `          ${r.error?.message ?? 'unknown error'}`];
    if (r.error?.hint) out.push(`          ${r.error.hint}`);
    return out;
  }
  const label = r.status === 'unchanged' ? 'unchanged' : dryRun ? 'would set' : 'ok       ';
  const changed = r.fields.filter((f) => f.change !== 'keep');
  return [`${label} ${r.path}`, ...changed.map((f) => `          ${fieldLine(f)}`)];
}

export function humanApply(r: ApplyResult): string {
  if (r.results.length === 0) return 'Nothing to write: the plan names no files (with --accepted: no suggestion is accepted yet; accept some with `betti accept` or in the review in the app).';
  const lines: string[] = [];
  const failures = r.results.filter((x) => x.status === 'failed');
  const shown = r.results.length <= SHOWN_FILES ? r.results : failures.slice(0, SHOWN_FAILURES);
  for (const x of shown) lines.push(...fileLines(x, r.dryRun));
  if (r.results.length > SHOWN_FILES && failures.length > SHOWN_FAILURES) lines.push(`… and ${failures.length - SHOWN_FAILURES} more failures (--json lists them all)`);
  const s = r.summary;
  const verb = r.dryRun ? 'would write' : 'written';
  lines.push(`${verb} ${s.ok}, unchanged ${s.unchanged}, failed ${s.failed} (${(s.durationMs / 1000).toFixed(1)} s)`);
  if (r.dryRun) lines.push('Dry run: nothing was written. Run again without --dry-run to write.');
  else if (r.batchId !== null && s.ok === 0) lines.push('Nothing was written, so there is nothing to undo.');
  else if (r.batchId !== null) lines.push(`Batch ${r.batchId}: \`betti undo ${r.batchId}\` restores every field it changed; \`betti history ${r.batchId}\` shows it.`);
  return lines.join('\n');
}

async function readPlan(ctx: CliContext, file: string): Promise<z.infer<typeof WritePlan>> {
  let text: string;
  try {
    text = file === '-' ? await ctx.readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new BettiError('invalid-request', `Cannot read the plan file ${file}: ${(err as Error).message}`, { path: file, hint: 'Check the path given to --plan.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BettiError('invalid-request', `The plan file ${file} is not valid JSON: ${(err as Error).message}`, {
      path: file,
      hint: 'A plan is {"files": [{"path": "…", "set": {"GENRE": ["Ambient"]}, "mode": "append"}]}.',
    });
  }
  const parsed = WritePlan.safeParse(json);
  if (!parsed.success) {
    throw new BettiError('invalid-request', `The plan file ${file} does not match the plan format: ${z.prettifyError(parsed.error)}`, {
      path: file,
      hint: 'A plan is {"files": [{"path": "…", "set": {"GENRE": ["Ambient"]}, "mode": "append"}]}.',
    });
  }
  const base = file === '-' ? process.cwd() : dirname(resolve(file));
  return { files: parsed.data.files.map((f) => ({ ...f, path: isAbsolute(f.path) ? f.path : resolve(base, f.path) })) };
}

export async function withWriteProgress<T>(ctx: CliContext, fn: () => Promise<T>): Promise<T> {
  const stop = ctx.client.on('write.progress', (p) => ctx.progress.update(p.done, p.total, basename(p.path), p));
  try {
    return await fn();
  } finally {
    stop();
  }
}

export const applyCommand = defineCommand<ApplyResult>({
  usage: 'apply',
  describe: 'Write tags from a plan file (--plan FILE) or the accepted suggestions (--accepted); each file is verified and replaced atomically, and the batch can be undone',
  options: [
    { flags: '--plan <file>', description: 'JSON plan: {"files": [{"path", "set": {FIELD: [values]}, "mode": "append"|"replace"}]}; "-" reads standard input' },
    { flags: '--accepted', description: 'write the accepted suggestions of the library' },
    { flags: '--mode <mode>', description: 'with --accepted: append to existing values or replace them (default: the setting)' },
    { flags: '--dry-run', description: 'show what would be written (before → after) and write nothing' },
  ],
  async run(ctx, _args, opts) {
    const planFile = opts.plan as string | undefined;
    const accepted = opts.accepted === true;
    if ((planFile === undefined) === !accepted) {
      throw new BettiError('invalid-request', 'betti apply needs exactly one of --plan FILE or --accepted.', { hint: 'See `betti apply --help`.' });
    }
    const mode = writeModeOption(opts.mode);
    const dryRun = opts.dryRun === true;
    const request = planFile !== undefined ? { plan: await readPlan(ctx, planFile), dryRun } : { accepted: mode ? { mode } : {}, dryRun };
    return withWriteProgress(ctx, () => ctx.client['write.apply'](request));
  },
  human: humanApply,
  exitCode: (r) => (r.summary.failed > 0 ? 1 : 0),
});
