// Flags that `betti predict` and `betti eval` share, parsed and checked in one place.
import { BettiError } from '../api/errors.ts';
import { ArchitectureSchema } from '../api/schemas/model.ts';

/** A positive integer flag (e.g. --windows, --limit), or undefined when absent. */
export function intOption(value: unknown, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BettiError('invalid-request', `${flag} must be an integer ≥ ${min} (got "${String(value)}")`);
  return n;
}

/** --architecture: pcnn or fcn, or undefined for the model folder's default network. */
export function architectureOption(value: unknown): 'pcnn' | 'fcn' | undefined {
  if (value === undefined) return undefined;
  const parsed = ArchitectureSchema.safeParse(value);
  if (!parsed.success) throw new BettiError('invalid-request', `--architecture must be pcnn or fcn (got "${String(value)}")`);
  return parsed.data;
}
