// `betti eval`: the TypeScript pipeline end to end on a labelled clip list — decode, log-mel, the
// window plan, the network — scored with the trainer's masked metrics (metrics.ts). The numbers
// therefore say how the shipped app tags, which differs slightly from MODEL_CARD.md's: the
// trainer fed each clip whole as one window, the app hears the planned windows of it.
import { isAbsolute, resolve } from 'node:path';
import { BettiError, toWireError, type WireError } from '../api/errors.ts';
import { readLabelledManifest, type LabelledClip } from './labelled-manifest.ts';
import type { LoadedModel } from './load.ts';
import { evaluate } from './metrics.ts';
import { predictTrack } from './predict.ts';

export interface EvalOptions {
  readonly manifest: string;
  /** Folder the manifest's paths are relative to (default: the manifest's folder). */
  readonly root?: string;
  /** Only rows of this split (the manifest's `split` column). */
  readonly split?: string;
  /** At most this many clips, spread evenly over the (split's) rows so every source takes part. */
  readonly limit?: number;
  readonly maxWindows?: number;
  readonly signal?: AbortSignal;
  onProgress?(done: number, total: number, path: string): void;
}

export interface EvalTagResult {
  readonly tag: string;
  readonly category: string;
  readonly known: number;
  readonly positives: number;
  readonly rocAuc: number | null;
  readonly prAuc: number | null;
}

export interface EvalResult {
  readonly manifest: string;
  readonly root: string;
  readonly split: string | null;
  /** Clips predicted and scored. */
  readonly clips: number;
  readonly failed: { path: string; error: WireError }[];
  /** Tags the manifest uses that the model does not know (ignored). */
  readonly unknownTags: string[];
  readonly tags: EvalTagResult[];
  readonly macro: { readonly rocAuc: number | null; readonly prAuc: number | null; readonly tagsScored: number };
  readonly seconds: number;
}

/** `limit` rows spread evenly over `rows` (all of them when limit is unset or large). */
export function evenSubset<T>(rows: readonly T[], limit: number | undefined): T[] {
  if (limit === undefined || limit >= rows.length) return [...rows];
  return Array.from({ length: limit }, (_, i) => rows[Math.floor((i * rows.length) / limit)]!);
}

function selectRows(all: LabelledClip[], opts: Pick<EvalOptions, 'manifest' | 'split' | 'limit'>): LabelledClip[] {
  if (opts.split !== undefined) {
    if (all.some((c) => c.split === undefined)) throw new BettiError('invalid-request', `${opts.manifest} has no "split" column, so --split ${opts.split} selects nothing`, { path: opts.manifest });
    const known = [...new Set(all.map((c) => c.split))];
    const rows = all.filter((c) => c.split === opts.split);
    if (rows.length === 0) throw new BettiError('invalid-request', `${opts.manifest} has no rows of split "${opts.split}" (its splits: ${known.join(', ')})`, { path: opts.manifest });
    return evenSubset(rows, opts.limit);
  }
  return evenSubset(all, opts.limit);
}

/** The manifest's clips an evaluation scores (read and checked before any model is loaded). */
export function selectEvalClips(opts: Pick<EvalOptions, 'manifest' | 'split' | 'limit'>): LabelledClip[] {
  return selectRows(readLabelledManifest(opts.manifest), opts);
}

/** Predicts and scores `clips` (default: selectEvalClips(opts)). */
export async function evaluateManifest(model: LoadedModel, opts: EvalOptions, clips: LabelledClip[] = selectEvalClips(opts)): Promise<EvalResult> {
  const started = performance.now();
  const root = resolve(opts.root ?? resolve(opts.manifest, '..'));
  const vocabulary = new Map(model.tags.map((t, i) => [t.tag, i]));
  const unknown = new Set<string>();
  const labels: boolean[][] = [];
  const known: boolean[][] = [];
  const scores: number[][] = [];
  const failed: EvalResult['failed'] = [];

  for (const [i, clip] of clips.entries()) {
    if (opts.signal?.aborted) throw new BettiError('cancelled', `eval cancelled after ${i} of ${clips.length} clips`);
    const path = isAbsolute(clip.path) ? clip.path : resolve(root, clip.path);
    opts.onProgress?.(i, clips.length, clip.path);
    try {
      const p = await predictTrack(model, path, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.maxWindows ? { maxWindows: opts.maxWindows } : {}) });
      for (const t of clip.tags) if (!vocabulary.has(t)) unknown.add(t);
      const listed = new Set(clip.tags);
      const labelled = clip.labelledCategories === undefined ? undefined : new Set(clip.labelledCategories);
      labels.push(model.tags.map((t) => listed.has(t.tag)));
      known.push(model.tags.map((t) => listed.has(t.tag) || labelled === undefined || labelled.has(t.category)));
      scores.push(model.tags.map((t) => p.tags[t.tag]!));
    } catch (err) {
      if (err instanceof BettiError && err.kind === 'cancelled') throw err;
      failed.push({ path: clip.path, error: toWireError(err) });
    }
  }
  opts.onProgress?.(clips.length, clips.length, '');
  if (scores.length === 0) {
    throw new BettiError('decode-failed', `none of the ${clips.length} clip(s) of ${opts.manifest} could be predicted; the first error: ${failed[0]?.error.message ?? 'none'}`, {
      path: opts.manifest,
      hint: '--root must name the folder the manifest paths are relative to.',
    });
  }
  const ev = evaluate(labels, scores, known);
  return {
    manifest: opts.manifest,
    root,
    split: opts.split ?? null,
    clips: scores.length,
    failed,
    unknownTags: [...unknown].sort(),
    tags: model.tags.map((t, i) => ({ tag: t.tag, category: t.category, ...ev.perTag[i]! })),
    macro: { rocAuc: ev.macroRocAuc, prAuc: ev.macroPrAuc, tagsScored: ev.tagsScored },
    seconds: (performance.now() - started) / 1000,
  };
}
