// `betti learn`: learns the person's own tags (GENRE, MOOD, GROUPING, COMMENT keywords, the custom
// field, or the fields named with --field) from the analysed tracks that carry them, prints each
// value's cross-validated quality and whether it is offered, and how many personal suggestions
// now wait in the review.
import type { RequestOf } from '../../api/contract.ts';
import { BettiError } from '../../api/errors.ts';
import type { LearnReport } from '../../api/schemas/personal.ts';
import { defineCommand } from '../command.ts';
import { commaList } from '../list-option.ts';
import { intOption } from '../model-options.ts';

function rateOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(typeof value === 'string' && value.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1)) {
    throw new BettiError('invalid-request', `${flag} must be a number from 0 to 1 (got "${String(value)}")`);
  }
  return n;
}

/** --field GENRE --field mood,grouping → [GENRE, MOOD, GROUPING] (the schema upper-cases and checks them). */
function fieldsOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = commaList(value);
  if (list.length === 0) throw new BettiError('invalid-request', '--field needs a field name (GENRE, MOOD, GROUPING, COMMENT, BETTI_TAGS…)');
  return list;
}

const pct = (x: number | null): string => (x === null ? '   – ' : x.toFixed(2).padStart(5));

function human(r: LearnReport): string {
  const lines = [`Learned from ${r.tracks} analysed tracks (model ${r.modelVersion}; fields ${r.fields.join(', ')}).`];
  const offered = r.values.filter((v) => v.offered);
  const trained = r.values.filter((v) => !v.offered && v.cvRocAuc !== null);
  const skipped = r.values.filter((v) => !v.offered && v.cvRocAuc === null);
  const name = (v: LearnReport['values'][number]) => `${v.field}=${v.value}`;
  const width = Math.min(40, Math.max(12, ...r.values.map((v) => name(v).length)));
  if (offered.length > 0 || trained.length > 0) {
    lines.push('', `${'value'.padEnd(width)}  tracks  ROC-AUC  precision  recall  threshold  suggestions`);
    for (const v of [...offered, ...trained]) {
      const tail = v.offered ? `${String(v.suggestions).padStart(11)}${v.writesTo !== v.field ? `  (written to ${v.writesTo})` : ''}` : `  not offered: ${v.reason}`;
      lines.push(`${name(v).slice(0, width).padEnd(width)}  ${String(v.positives).padStart(6)}  ${pct(v.cvRocAuc).padStart(7)}  ${pct(v.cvPrecision).padStart(9)}  ${pct(v.cvRecall).padStart(6)}  ${pct(v.threshold).padStart(9)}${tail}`);
    }
  }
  if (skipped.length > 0) {
    lines.push('', 'Not learned:');
    for (const v of skipped) lines.push(`  ${name(v)}: ${v.reason}`);
  }
  if (r.rareValues > 0) lines.push(`  …and ${r.rareValues} value(s) on fewer tracks.`);
  lines.push('');
  if (r.values.length === 0 && r.rareValues === 0) lines.push('None of these fields has a value in the analysed tracks. Tag some tracks, or name other fields with --field.');
  else if (offered.length === 0) lines.push('No value reached the quality bar (cross-validated ROC-AUC and precision); nothing is suggested.');
  else lines.push(`${offered.length} value(s) offered; ${r.suggestions} personal suggestion(s) pending. Review them with \`betti suggest\` or in the Review view.`);
  lines.push(`(${(r.timing.totalMs / 1000).toFixed(1)} s; quality from cross-validation with whole albums held out.)`);
  return lines.join('\n');
}

export const learnCommand = defineCommand<LearnReport>({
  usage: 'learn',
  describe: 'Learn your own tags (genre, mood, grouping, comment keywords, custom field) from the tracks you tagged, and suggest them for the rest',
  options: [
    { flags: '--field <fields...>', description: 'fields to learn, e.g. --field GROUPING MOOD (default: GENRE, MOOD, GROUPING, COMMENT and the custom field)' },
    { flags: '--min-positives <n>', description: 'tracks that must carry a value before it is learned (default 20)' },
    { flags: '--min-auc <x>', description: 'quality bar: cross-validated ROC-AUC (default 0.8)' },
    { flags: '--min-precision <x>', description: 'quality bar: cross-validated precision at the threshold (default 0.5)' },
  ],
  async run(ctx, _args, o) {
    const req: RequestOf<'personal.learn'> = {};
    const fields = fieldsOption(o.field);
    if (fields) req.fields = fields;
    const minPositives = intOption(o.minPositives, '--min-positives', 5);
    if (minPositives !== undefined) req.minPositives = minPositives;
    const minRocAuc = rateOption(o.minAuc, '--min-auc');
    if (minRocAuc !== undefined) req.minRocAuc = minRocAuc;
    const minPrecision = rateOption(o.minPrecision, '--min-precision');
    if (minPrecision !== undefined) req.minPrecision = minPrecision;
    return ctx.client['personal.learn'](req);
  },
  human,
});
