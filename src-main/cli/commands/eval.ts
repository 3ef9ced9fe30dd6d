// `betti eval --manifest CSV`: runs the app's own pipeline (decode → log-mel → window plan →
// network) on a labelled clip list and prints masked per-tag and macro ROC-AUC and PR-AUC.
import { BettiError } from '../../api/errors.ts';
import type { ModelEvalResponse } from '../../api/schemas/model.ts';
import { defineCommand } from '../command.ts';
import { intOption, MODEL_SELECTION_OPTIONS, modelSelection } from '../model-options.ts';

const fmt = (v: number | null) => (v === null ? '   —  ' : v.toFixed(4));

function human(r: ModelEvalResponse): string {
  const width = Math.max(3, ...r.tags.map((t) => t.tag.length));
  const cat = Math.max(8, ...r.tags.map((t) => t.category.length));
  const lines = [
    `${r.modelVersion} (${r.architecture}, ${r.backend}) on ${r.clips} clip(s) of ${r.manifest}${r.split ? `, split ${r.split}` : ''}`,
    '',
    `${'tag'.padEnd(width)}  ${'category'.padEnd(cat)}  known  pos  ROC-AUC  PR-AUC`,
  ];
  for (const t of r.tags) {
    lines.push(`${t.tag.padEnd(width)}  ${t.category.padEnd(cat)}  ${String(t.known).padStart(5)}  ${String(t.positives).padStart(3)}  ${fmt(t.rocAuc).padStart(7)}  ${fmt(t.prAuc).padStart(6)}`);
  }
  lines.push('', `macro over ${r.macro.tagsScored} scorable tag(s): ROC-AUC ${fmt(r.macro.rocAuc)}, PR-AUC ${fmt(r.macro.prAuc)}   (${r.seconds.toFixed(1)} s)`);
  lines.push('— : the known labels of that tag hold only one class among these clips; it is left out of the macro average.');
  if (r.unknownTags.length > 0) lines.push(`Ignored tags the model does not know: ${r.unknownTags.join(', ')}`);
  if (r.failed.length > 0) {
    lines.push(`${r.failed.length} clip(s) could not be predicted and are not scored:`);
    for (const f of r.failed.slice(0, 10)) lines.push(`  ${f.path}: ${f.error.message}`);
    if (r.failed.length > 10) lines.push(`  … and ${r.failed.length - 10} more (--json lists them all)`);
  }
  return lines.join('\n');
}

export const evalCommand = defineCommand<ModelEvalResponse>({
  usage: 'eval',
  describe: 'Score the tagger on a labelled clip list: masked per-tag and macro ROC-AUC and PR-AUC',
  options: [
    { flags: '--manifest <csv>', description: 'labelled clips: path,tags[,split,labelled_categories] (e.g. ../shared/data/manifest.csv)' },
    { flags: '--root <dir>', description: "folder the manifest's paths are relative to (default: the manifest's folder)" },
    { flags: '--split <name>', description: 'only rows of this split (train, valid, test)' },
    { flags: '--limit <n>', description: 'at most n clips, spread evenly over the selected rows' },
    ...MODEL_SELECTION_OPTIONS,
    { flags: '--windows <n>', description: 'at most this many analysis windows per clip (default 3)' },
  ],
  async run(ctx, _args, opts) {
    if (typeof opts.manifest !== 'string') {
      throw new BettiError('invalid-request', 'eval: --manifest is required', { hint: 'e.g. betti eval --manifest ../shared/data/manifest.csv --split test' });
    }
    const selection = modelSelection(opts);
    const limit = intOption(opts.limit, '--limit');
    const maxWindows = intOption(opts.windows, '--windows');
    const stop = ctx.client.on('model.progress', (p) => {
      if (p.operation === 'eval') ctx.progress.update(p.done, p.total, p.path, p);
    });
    try {
      return await ctx.client['model.eval']({
        manifest: opts.manifest,
        ...(typeof opts.root === 'string' ? { root: opts.root } : {}),
        ...(typeof opts.split === 'string' ? { split: opts.split } : {}),
        ...(limit ? { limit } : {}),
        ...selection,
        ...(maxWindows ? { maxWindows } : {}),
      });
    } finally {
      stop();
    }
  },
  human,
});
