// `betti accept` and `betti reject`: the review from a terminal. By suggestion id (as `betti
// suggest` prints them), or in a batch: what `betti suggest` lists (pending, above each tag's
// threshold, not already in the file), narrowed by track, tag and confidence. A batch leaves
// earlier decisions alone; ids name suggestions whatever was decided before. Accepted suggestions
// are written by `betti apply --accepted`.
import { BettiError } from '../../api/errors.ts';
import type { Decision } from '../../api/schemas/review.ts';
import { defineCommand, type CliContext, type CommandSpec, type OptionSpec } from '../command.ts';
import { commaList } from '../list-option.ts';
import { confidenceOption } from './suggest.ts';

export interface DecideResult {
  decision: Exclude<Decision, 'pending'>;
  /** Suggestions whose decision changed. */
  updated: number;
  /** The batch's suggestions per tag, and its tracks (empty and null when ids were given). */
  byTag: Record<string, number>;
  tracks: number | null;
}

/** Suggestions decided per call: the request carries their ids. */
const DECIDE_CHUNK = 10_000;
/** Tracks per `analysis.suggest` page. */
const SUGGEST_PAGE = 10_000;

function positiveInts(values: string[], what: string): number[] {
  return values.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new BettiError('invalid-request', `${what} must be positive whole numbers, not ${JSON.stringify(v)}.`);
    return n;
  });
}

interface Selection {
  trackIds?: number[];
  /** Lower-cased. */
  tags?: Set<string>;
  minConfidence?: number;
}

function selectionOf(opts: Record<string, unknown>, verb: string): Selection | undefined {
  const tracks = commaList(opts.track);
  const tags = commaList(opts.tag);
  const all = opts.all === true;
  const minConfidence = confidenceOption(opts.minConfidence);
  if (tracks.length === 0 && tags.length === 0 && minConfidence === undefined && !all) return undefined;
  if (all && (tracks.length > 0 || tags.length > 0 || minConfidence !== undefined)) {
    throw new BettiError('invalid-request', `--all ${verb}s every suggestion \`betti suggest\` lists; it does not combine with --track, --tag or --min-confidence.`);
  }
  return {
    ...(tracks.length > 0 ? { trackIds: positiveInts(tracks, '--track values') } : {}),
    ...(tags.length > 0 ? { tags: new Set(tags.map((t) => t.toLowerCase())) } : {}),
    ...(minConfidence !== undefined ? { minConfidence } : {}),
  };
}

/** What `betti suggest` lists for the selection, every page of it. */
async function selected(ctx: CliContext, sel: Selection): Promise<{ id: number; trackId: number; tag: string }[]> {
  const out: { id: number; trackId: number; tag: string }[] = [];
  for (let offset = 0; ; offset += SUGGEST_PAGE) {
    const page = await ctx.client['analysis.suggest']({
      limit: SUGGEST_PAGE,
      offset,
      ...(sel.trackIds ? { trackIds: sel.trackIds } : {}),
      ...(sel.minConfidence !== undefined ? { minConfidence: sel.minConfidence } : {}),
    });
    for (const t of page.tracks) for (const s of t.suggestions) if (!sel.tags || sel.tags.has(s.tag.toLowerCase())) out.push({ id: s.id, trackId: t.trackId, tag: s.tag });
    if (page.tracks.length < SUGGEST_PAGE || offset + SUGGEST_PAGE >= page.totalTracks) return out;
  }
}

async function decide(ctx: CliContext, args: string[], opts: Record<string, unknown>, decision: DecideResult['decision']): Promise<DecideResult> {
  const verb = decision === 'accepted' ? 'accept' : 'reject';
  const sel = selectionOf(opts, verb);
  if (args.length > 0) {
    if (sel) throw new BettiError('invalid-request', `betti ${verb} takes suggestion ids or a batch (--track, --tag, --min-confidence, --all), not both.`);
    const ids = positiveInts(args, 'Suggestion ids');
    const { updated } = await ctx.client['review.decide']({ suggestionIds: ids, decision });
    return { decision, updated, byTag: {}, tracks: null };
  }
  if (!sel) {
    throw new BettiError('invalid-request', `betti ${verb} needs suggestion ids, or a batch: --track, --tag, --min-confidence or --all.`, {
      hint: `\`betti suggest\` lists the suggestions with their ids; \`betti ${verb} --min-confidence 0.8\` ${verb}s every listed one at least that confident.`,
    });
  }
  const chosen = await selected(ctx, sel);
  let updated = 0;
  for (let i = 0; i < chosen.length; i += DECIDE_CHUNK) {
    const ids = chosen.slice(i, i + DECIDE_CHUNK).map((s) => s.id);
    // Only pending ones: a batch keeps the decisions made one by one before it.
    updated += (await ctx.client['review.decide']({ suggestionIds: ids, decision, onlyPending: true })).updated;
  }
  const byTag: Record<string, number> = {};
  for (const s of chosen) byTag[s.tag] = (byTag[s.tag] ?? 0) + 1;
  return { decision, updated, byTag, tracks: new Set(chosen.map((s) => s.trackId)).size };
}

function human(r: DecideResult): string {
  const verb = r.decision === 'accepted' ? 'Accepted' : 'Rejected';
  if (r.updated === 0 && r.tracks === null) return `No suggestion changed: each id is already ${r.decision} or names no suggestion (\`betti suggest\` lists them with their ids).`;
  if (r.updated === 0) return `Nothing to ${r.decision === 'accepted' ? 'accept' : 'reject'}: no pending suggestion matches (\`betti suggest\` lists them).`;
  const tags = Object.entries(r.byTag)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([tag, n]) => `${tag} ${n}`)
    .join(', ');
  const head = `${verb} ${r.updated} suggestion(s)${r.tracks !== null ? ` on ${r.tracks} track(s)` : ''}${tags ? `: ${tags}` : ''}.`;
  return r.decision === 'accepted'
    ? `${head}\n\`betti apply --accepted --dry-run\` shows what would be written; \`betti apply --accepted\` writes it.`
    : `${head}\nThey are not suggested again; \`betti accept ID\` changes a decision.`;
}

const OPTIONS: readonly OptionSpec[] = [
  { flags: '--track <ids>', description: 'only these tracks (ids from `betti library`, comma-separated)' },
  { flags: '--tag <tags>', description: 'only these tags (comma-separated, any case)' },
  { flags: '--min-confidence <x>', description: 'only suggestions at least this confident (0 to 1)' },
  { flags: '--all', description: 'every suggestion `betti suggest` lists' },
];

function decideCommand(decision: DecideResult['decision']): CommandSpec<DecideResult> {
  const verb = decision === 'accepted' ? 'accept' : 'reject';
  return defineCommand<DecideResult>({
    usage: `${verb} [ids...]`,
    describe:
      decision === 'accepted'
        ? 'Accept suggestions by id, or a batch of what `betti suggest` lists (by track, tag, confidence); `betti apply --accepted` writes them'
        : 'Reject suggestions by id, or a batch of what `betti suggest` lists (by track, tag, confidence); they are not suggested again',
    options: OPTIONS,
    run: (ctx, args, opts) => decide(ctx, args, opts, decision),
    human,
  });
}

export const acceptCommand = decideCommand('accepted');
export const rejectCommand = decideCommand('rejected');
