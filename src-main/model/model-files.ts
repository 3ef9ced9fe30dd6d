// Reading and validating an exported model folder (training/export.py writes it; training/
// EXPORT_FORMAT.md documents it): model.json (format, versions, layer config, standardisation,
// window, weights manifest) and tags.json (vocabulary with per-tag thresholds). Versions are
// checked before the shape of the rest, so a model from another Betti says "version" rather than
// "invalid". Every problem names the file and the field.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FEATURE_SPEC } from '../features/spec.ts';
import { PCNN_CONFIG } from './config.ts';
import { ModelInvalidError, ModelVersionMismatch } from './errors.ts';

export const MODEL_FORMAT = 'betti-pcnn';
/** The model.json format this code reads. */
export const MODEL_FORMAT_VERSION = 1;

export const architectures = ['pcnn', 'fcn'] as const;
export type Architecture = (typeof architectures)[number];

const positiveInt = z.number().int().positive();

/** The layer numbers as model.json carries them (PCNN_CONFIG's shape, values free). */
const LayerConfigSchema = z.object({
  version: z.string(),
  frontEnd: z.object({ filters: positiveInt, frames: positiveInt, bands: positiveInt, poolTime: positiveInt }),
  segment: z.object({ steps: positiveInt, stride: positiveInt }),
  convBranch: z.object({ channels: positiveInt, pool: positiveInt }),
  landscape: z.object({ k: positiveInt, points: positiveInt, lo: z.number(), hi: z.number() }),
  /** Lags of the rhythm branch (rhythm.ts); 0 = the paper's network, without it. */
  rhythm: z.object({ lags: z.number().int().min(0) }),
  /**
   * Learned pitch-class profiles of the chroma branch (network.ts); 0 = none. `context`: what they
   * are matched against, each segment's mean chroma or the whole window's (`--chroma-context`;
   * absent in models exported before the option existed, which all matched per segment).
   */
  chroma: z.object({ profiles: z.number().int().min(0), context: z.enum(['segment', 'window']).default('segment') }),
  head: z.object({ units: z.array(positiveInt).min(1), dropout: z.number().min(0).max(1) }),
});
export type LayerConfig = z.infer<typeof LayerConfigSchema>;

const WeightEntrySchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)),
  dtype: z.literal('float32'),
  /** Stored smaller than float32, as tfjs's weights format allows: float16, or uint8 read as q · scale + min. */
  quantization: z
    .discriminatedUnion('dtype', [
      z.object({ dtype: z.literal('float16'), original_dtype: z.literal('float32') }),
      z.object({ dtype: z.literal('uint8'), min: z.number().finite(), scale: z.number().finite().positive(), original_dtype: z.literal('float32') }),
    ])
    .optional(),
});
export type WeightEntry = z.infer<typeof WeightEntrySchema>;

const WeightGroupSchema = z.object({
  paths: z.array(z.string().regex(/^[\w.-]+$/, 'a file name inside the model folder')).min(1),
  weights: z.array(WeightEntrySchema).min(1),
});
export type WeightGroup = z.infer<typeof WeightGroupSchema>;

const ModelJsonSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.literal(MODEL_FORMAT_VERSION),
  modelVersion: z.string().min(1),
  specVersion: z.string(),
  architecture: z.enum(architectures),
  /**
   * Networks of this architecture that ship together (trained alike from different seeds): the prediction is
   * the mean of their window probabilities; the embedding and landscapes are the first one's. Each
   * member's weights are named `m<i>/…` when there are several. Absent in single-network folders.
   */
  members: positiveInt.default(1),
  config: LayerConfigSchema,
  tags: positiveInt,
  input: z.object({
    standardisation: z.object({
      mean: z.array(z.number()),
      std: z.array(z.number().positive()),
    }),
  }),
  window: z.object({
    frames: positiveInt,
    seconds: z.number().positive(),
    shortInput: z.literal('loop'),
  }),
  quick: z.boolean().default(false),
  weightsManifest: z.array(WeightGroupSchema).min(1),
});
export type ModelJson = z.infer<typeof ModelJsonSchema>;

const Rate = z.number().min(0).max(1);
const TagsJsonSchema = z
  .array(
    z.object({
      tag: z.string().min(1),
      category: z.string().min(1),
      threshold: Rate,
      /** The tag's quality on the valid split at its threshold (quality-bar.ts); absent in folders exported before it was written. */
      valid: z.object({ rocAuc: Rate.nullable(), rocAucWithinSource: Rate.nullable(), precision: Rate.nullable() }).optional(),
      /**
       * The tag's category is exclusive: a clip holds at most one of its tags (tempo, mode, …), so
       * at most one is suggested (analysis/suggestions.ts). Absent in folders exported before it was written.
       */
      exclusive: z.boolean().optional(),
    }),
  )
  .min(1)
  .refine((tags) => new Set(tags.map((t) => t.tag)).size === tags.length, { message: 'tag names must be unique' })
  .superRefine((tags, ctx) => {
    const seen = new Map<string, boolean>();
    tags.forEach((t, i) => {
      const exclusive = t.exclusive ?? false;
      const before = seen.get(t.category);
      if (before === undefined) seen.set(t.category, exclusive);
      else if (before !== exclusive)
        ctx.addIssue({ code: 'custom', path: [i, 'exclusive'], message: `tags of category "${t.category}" disagree on whether it is exclusive` });
    });
  });
/** A tag of a model's vocabulary as tags.json gives it; the one shape every part of Betti passes tags around in. */
export type ModelTag = z.infer<typeof TagsJsonSchema>[number];

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelInvalidError(path, code === 'ENOENT' ? 'the file is missing' : `cannot be read (${code ?? (err as Error).message})`, { cause: err });
  }
}

function readJson(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ModelInvalidError(path, `not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

function firstIssue(path: string, error: z.ZodError): ModelInvalidError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  return new ModelInvalidError(path, `${issue?.message ?? 'does not match the expected layout'}${more}`, where === undefined ? {} : { where });
}

/** The versions a model.json declares, checked against the code's before anything else is. */
function checkVersions(path: string, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModelInvalidError(path, 'expected a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT) throw new ModelInvalidError(path, `not a Betti model (format is ${JSON.stringify(o.format)}, expected "${MODEL_FORMAT}")`, { where: 'format' });
  if (o.formatVersion !== MODEL_FORMAT_VERSION) throw new ModelVersionMismatch(path, 'format', String(o.formatVersion), String(MODEL_FORMAT_VERSION));
  if (typeof o.specVersion === 'string' && o.specVersion !== FEATURE_SPEC.version) throw new ModelVersionMismatch(path, 'features', o.specVersion, FEATURE_SPEC.version);
  const config = o.config as { version?: unknown } | undefined;
  if (typeof config?.version === 'string' && config.version !== PCNN_CONFIG.version) throw new ModelVersionMismatch(path, 'layers', config.version, PCNN_CONFIG.version);
}

/** Columns of one input frame: the network's mel bands, then the feature spec's chroma bins. */
export function inputBands(config: LayerConfig): number {
  return config.frontEnd.bands + FEATURE_SPEC.chroma.bins;
}

/** Minimum frames of one segment: (segment steps · pool) + (filter span − 1). */
export function minFrames(config: LayerConfig): number {
  return config.segment.steps * config.frontEnd.poolTime + config.frontEnd.frames - 1;
}

/** Steps after the front end, and the segments they hold, for a window of `frames` frames. */
export function segmentsFor(config: LayerConfig, frames: number): { steps: number; segments: number } {
  const steps = Math.max(0, Math.floor((frames - config.frontEnd.frames + 1) / config.frontEnd.poolTime));
  const segments = steps < config.segment.steps ? 0 : Math.floor((steps - config.segment.steps) / config.segment.stride) + 1;
  return { steps, segments };
}

/** Parses and checks `<dir>/model.json`. */
export function readModelJson(dir: string): ModelJson {
  const path = join(dir, 'model.json');
  const raw = readJson(path);
  checkVersions(path, raw);
  const parsed = ModelJsonSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(path, parsed.error);
  const m = parsed.data;
  const { bands } = m.config.frontEnd;
  if (bands !== FEATURE_SPEC.nMels) throw new ModelInvalidError(path, `the network takes ${bands} bands, the features have ${FEATURE_SPEC.nMels}`, { where: 'config.frontEnd.bands' });
  if (m.config.segment.stride !== m.config.segment.steps || m.config.convBranch.pool !== m.config.segment.steps) {
    throw new ModelInvalidError(path, 'segments must not overlap and the conv branch must pool over exactly one segment', { where: 'config.segment' });
  }
  if (!(m.config.landscape.lo < m.config.landscape.hi)) throw new ModelInvalidError(path, 'landscape lo must be below hi', { where: 'config.landscape' });
  const segmentFrames = m.config.segment.steps * m.config.frontEnd.poolTime;
  if (m.config.rhythm.lags >= segmentFrames) {
    throw new ModelInvalidError(path, `the rhythm branch's ${m.config.rhythm.lags} lags do not fit in a segment of ${segmentFrames} frames`, { where: 'config.rhythm.lags' });
  }
  const { mean, std } = m.input.standardisation;
  const columns = inputBands(m.config);
  if (mean.length !== columns || std.length !== columns) {
    throw new ModelInvalidError(path, `standardisation needs ${columns} means and deviations (${bands} mel bands, ${FEATURE_SPEC.chroma.bins} chroma bins), found ${mean.length} and ${std.length}`, { where: 'input.standardisation' });
  }
  const least = minFrames(m.config);
  if (m.window.frames < least) throw new ModelInvalidError(path, `a window of ${m.window.frames} frames is shorter than one segment (${least} frames)`, { where: 'window.frames' });
  const seconds = (m.window.frames * FEATURE_SPEC.hop) / FEATURE_SPEC.sampleRate;
  if (Math.abs(seconds - m.window.seconds) > 1e-6) {
    throw new ModelInvalidError(path, `window.seconds is ${m.window.seconds}, but ${m.window.frames} frames last ${seconds} s`, { where: 'window.seconds' });
  }
  return m;
}

/** Parses and checks `<dir>/tags.json` against the model's tag count. */
export function readTagsJson(dir: string, expected: number): ModelTag[] {
  const path = join(dir, 'tags.json');
  const parsed = TagsJsonSchema.safeParse(readJson(path));
  if (!parsed.success) throw firstIssue(path, parsed.error);
  if (parsed.data.length !== expected) throw new ModelInvalidError(path, `lists ${parsed.data.length} tags, model.json says the network has ${expected}`);
  return parsed.data;
}

/** The folder of `architecture` in a model folder: the folder itself when its model.json is that one, else `<dir>/<architecture>`. */
export function architectureDir(dir: string, architecture: Architecture | undefined): string {
  if (architecture === undefined) return dir;
  const rootPath = join(dir, 'model.json');
  const root = readJson(rootPath) as { architecture?: unknown } | null;
  if (root !== null && typeof root === 'object' && root.architecture === architecture) return dir;
  return join(dir, architecture);
}

/** The networks a model folder holds: its default one (top-level model.json) first, then `<dir>/<architecture>/` ones. */
export function availableArchitectures(dir: string): Architecture[] {
  const root = readJson(join(dir, 'model.json')) as { architecture?: unknown } | null;
  const first = architectures.find((a) => root !== null && typeof root === 'object' && root.architecture === a);
  const rest = architectures.filter((a) => a !== first && existsSync(join(dir, a, 'model.json')));
  return first ? [first, ...rest] : rest;
}
