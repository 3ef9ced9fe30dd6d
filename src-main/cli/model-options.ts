// Flags that `betti predict`, `betti eval` and `betti model` share, declared, parsed and checked in
// one place.
import { BettiError } from '../api/errors.ts';
import { ArchitectureSchema } from '../api/schemas/model.ts';
import type { OptionSpec } from './command.ts';

/** --architecture and --model: which network of which model folder. */
export const MODEL_SELECTION_OPTIONS: readonly OptionSpec[] = [
  { flags: '--architecture <name>', description: 'pcnn or fcn (default: the shipped default network)' },
  { flags: '--model <dir>', description: 'model folder (default: the shipped resources/model)' },
];

/** The model.* request fields that --architecture and --model give. */
export function modelSelection(opts: Record<string, unknown>): { architecture?: 'pcnn' | 'fcn'; dir?: string } {
  const architecture = architectureOption(opts.architecture);
  return { ...(architecture ? { architecture } : {}), ...(typeof opts.model === 'string' ? { dir: opts.model } : {}) };
}

/** A positive integer flag (e.g. --windows, --limit), or undefined when absent. */
export function intOption(value: unknown, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BettiError('invalid-request', `${flag} must be an integer ≥ ${min} (got "${String(value)}")`);
  return n;
}

/** --architecture: pcnn or fcn, or undefined for the model folder's default network. */
function architectureOption(value: unknown): 'pcnn' | 'fcn' | undefined {
  if (value === undefined) return undefined;
  const parsed = ArchitectureSchema.safeParse(value);
  if (!parsed.success) throw new BettiError('invalid-request', `--architecture must be pcnn or fcn (got "${String(value)}")`);
  return parsed.data;
}
