// `betti persistence`: a small calculator for the landscape layer. It reads
// {"segments": [[...], ...], "landscape"?: {k, points, lo, hi}} on stdin and prints each
// segment's 0-dimensional superlevel persistence diagram and landscapes, so anyone can check the
// network's persistence against GUDHI (test/helpers/gudhi_ref.py does exactly that).
import { BettiError } from '../../api/errors.ts';
import type { PersistenceResponse } from '../../api/schemas/persistence.ts';
import { defineCommand } from '../command.ts';

const EXAMPLE = `echo '{"segments": [[0, 2, 1, 3, 0]]}' | betti persistence --json`;
/** The hint for input that is not JSON or not of the request's shape. */
const SHAPE_HINT = `Expected {"segments": [[numbers...], ...], "landscape"?: {"k", "points", "lo", "hi"}}, e.g. ${EXAMPLE}`;

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
}

function human(r: PersistenceResponse): string {
  const { k, points, lo, hi } = r.params;
  const lines = [`${r.diagrams.length} segment(s); landscapes λ1..λ${k} at ${points} points over [${fmt(lo)}, ${fmt(hi)})`];
  r.diagrams.forEach((diagram, s) => {
    lines.push(`segment ${s}: ${diagram.length} pair(s) (birth, death) @ [birth index, death index]`);
    for (const p of diagram) lines.push(`  (${fmt(p.birth)}, ${fmt(p.death)}) @ [${p.birthIndex}, ${p.deathIndex}]`);
    const row = r.landscapes[s];
    for (let j = 0; j < k; j++) {
      const values = row.slice(j * points, (j + 1) * points);
      if (values.every((v) => v === 0)) break; // the rest are zero too
      lines.push(`  λ${j + 1}: ${values.map(fmt).join(' ')}`);
    }
  });
  return lines.join('\n');
}

export const persistenceCommand = defineCommand<PersistenceResponse>({
  usage: 'persistence',
  describe: 'Persistence diagrams and landscapes of sequences read as JSON on stdin (check them against GUDHI)',
  async run(ctx) {
    const text = await ctx.readStdin();
    if (text.trim() === '') {
      throw new BettiError('invalid-request', 'persistence: nothing on standard input', { hint: `Pipe a JSON document in, e.g. ${EXAMPLE}` });
    }
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch (err) {
      throw new BettiError('invalid-request', `persistence: standard input is not JSON (${(err as Error).message})`, {
        hint: SHAPE_HINT,
        cause: err,
      });
    }
    try {
      return await ctx.client['features.persistence'](request as Parameters<(typeof ctx.client)['features.persistence']>[0]);
    } catch (err) {
      // The contract's own hint points at its schema files: a person at a terminal wants the shape.
      if (err instanceof BettiError && err.kind === 'invalid-request') {
        throw new BettiError('invalid-request', err.message, { hint: SHAPE_HINT, cause: err });
      }
      throw err;
    }
  },
  human,
});
