// `betti predict <file>…`: each file's tags with their probabilities, most probable first, those at
// or above their threshold marked, and those below the quality bar (never suggested) said so. A
// file that cannot be read gets its own error line; the exit status is non-zero only when every
// file failed. --json prints
// [{"path", "tags": {tag: p, …}, "windows", "backend", …} | {"path", "error": {kind, message, hint}}].
import type { WireError } from '../../api/errors.ts';
import type { ModelPredictResponse } from '../../api/schemas/model.ts';
import { defineCommand } from '../command.ts';
import { intOption, MODEL_SELECTION_OPTIONS, modelSelection } from '../model-options.ts';

export type PredictOutput =
  | {
      path: string;
      tags: Record<string, number>;
      aboveThreshold: string[];
      /** The model's tags below the quality bar: scored, never suggested. */
      neverSuggested: string[];
      windows: number;
      durationSec: number;
      backend: string;
      modelVersion: string;
    }
  | { path: string; error: WireError };

export function toOutput(r: ModelPredictResponse): PredictOutput[] {
  return r.results.map((f) => {
    if (!f.ok) return { path: f.path, error: f.error };
    const tags = Object.fromEntries(Object.entries(f.tags).sort((a, b) => b[1] - a[1]));
    return { path: f.path, tags, aboveThreshold: f.aboveThreshold, neverSuggested: r.neverSuggested, windows: f.windows, durationSec: f.durationSec, backend: r.backend, modelVersion: r.modelVersion };
  });
}

function human(files: PredictOutput[]): string {
  const lines: string[] = [];
  for (const f of files) {
    if (lines.length > 0) lines.push('');
    if ('error' in f) {
      lines.push(`${f.path}: ${f.error.message}`);
      if (f.error.hint) lines.push(`  ${f.error.hint}`);
      continue;
    }
    lines.push(`${f.path}  (${f.durationSec.toFixed(1)} s, ${f.windows} window${f.windows === 1 ? '' : 's'}, ${f.backend}; * = above threshold)`);
    const width = Math.max(...Object.keys(f.tags).map((t) => t.length));
    const above = new Set(f.aboveThreshold);
    const never = new Set(f.neverSuggested);
    for (const [tag, p] of Object.entries(f.tags)) {
      lines.push(`  ${above.has(tag) ? '*' : ' '} ${tag.padEnd(width)}  ${p.toFixed(3)}${never.has(tag) ? '  (never suggested: below the quality bar)' : ''}`);
    }
  }
  const failed = files.filter((f) => 'error' in f).length;
  if (files.length > 1) lines.push('', `${files.length - failed} of ${files.length} file(s) tagged${failed > 0 ? `, ${failed} failed` : ''}`);
  return lines.join('\n');
}

export const predictCommand = defineCommand<PredictOutput[]>({
  usage: 'predict <files...>',
  describe: "Print each audio file's tags with their probabilities (windows spread over the track, averaged)",
  options: [
    ...MODEL_SELECTION_OPTIONS,
    { flags: '--windows <n>', description: 'at most this many analysis windows per file (default 3)' },
  ],
  async run(ctx, files, opts) {
    const selection = modelSelection(opts);
    const maxWindows = intOption(opts.windows, '--windows');
    const stop = ctx.client.on('model.progress', (p) => {
      if (p.operation === 'predict') ctx.progress.update(p.done, p.total, p.path, p);
    });
    try {
      const r = await ctx.client['model.predict']({
        paths: files,
        ...selection,
        ...(maxWindows ? { maxWindows } : {}),
      });
      return toOutput(r);
    } finally {
      stop();
    }
  },
  human,
  exitCode: (files) => (files.length > 0 && files.every((f) => 'error' in f) ? 1 : 0),
});
