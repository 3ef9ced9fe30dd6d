// `betti model`: the tagging model a person's suggestions come from: its versions, the network and
// backend in use, its window, and every tag with its threshold and whether Betti suggests it (the
// quality bar, model/quality-bar.ts), with the reason. --json prints model.info's response.
import type { ModelInfoResponse } from '../../api/schemas/model.ts';
import { defineCommand } from '../command.ts';
import { MODEL_SELECTION_OPTIONS, modelSelection } from '../model-options.ts';

function human(m: ModelInfoResponse): string {
  const others = m.available.filter((a) => a !== m.architecture);
  const lines = [
    `model ${m.modelVersion}${m.quick ? ' (QUICK smoke-test model: its suggestions mean nothing)' : ''}`,
    `  network: ${m.architecture.toUpperCase()}${m.members > 1 ? `, ${m.members} networks (seeds trained alike) whose probabilities are averaged` : ''}${others.length > 0 ? ` (also in the folder: ${others.join(', ')}; choose with --architecture)` : ''}`,
    `  feature spec: ${m.specVersion}; window: ${m.window.seconds.toFixed(2)} s (${m.window.frames} frames)`,
    `  backend: ${m.backend}${m.backendNotes.map((n) => `; not ${n.backend}: ${n.reason}`).join('')}`,
    `  folder: ${m.dir}`,
    '',
  ];
  const suggested = m.tags.filter((t) => t.suggested).length;
  lines.push(`${m.tags.length} tags, ${suggested} suggested:`);
  const tagWidth = Math.max(3, ...m.tags.map((t) => t.tag.length));
  const catWidth = Math.max(8, ...m.tags.map((t) => t.category.length));
  lines.push(`  ${'tag'.padEnd(tagWidth)}  ${'category'.padEnd(catWidth)}  threshold  suggested`);
  for (const t of m.tags) {
    lines.push(`  ${t.tag.padEnd(tagWidth)}  ${t.category.padEnd(catWidth)}  ${t.threshold.toFixed(3).padStart(9)}  ${(t.suggested ? 'yes' : 'no').padEnd(9)}  ${t.quality}`);
  }
  return lines.join('\n');
}

export const modelCommand = defineCommand<ModelInfoResponse>({
  usage: 'model',
  describe: 'Show the tagging model: versions, network, backend, and each tag with its threshold and whether Betti suggests it',
  options: MODEL_SELECTION_OPTIONS,
  run: (ctx, _args, opts) => ctx.client['model.info'](modelSelection(opts)),
  human,
});
