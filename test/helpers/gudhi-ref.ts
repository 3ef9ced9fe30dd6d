// Runs test/helpers/gudhi_ref.py (GUDHI cubical persistence + numpy landscapes) in one Debian
// python process for a whole batch of sequences.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LandscapeParams } from '../../src-main/model/config.ts';

const script = fileURLToPath(new URL('./gudhi_ref.py', import.meta.url));
// The Debian python: the one that has python3-gudhi and python3-numpy.
export const PYTHON = '/usr/bin/python3';

export interface GudhiReference {
  gudhi: string;
  /** Per sequence, (birth, death) pairs with the essential death replaced by the minimum. */
  diagrams: [number, number][][];
  landscapes: number[][];
}

function runScript(args: string[], sequences: ArrayLike<number>[], landscape: LandscapeParams): string {
  const input = JSON.stringify({ sequences: sequences.map((s) => Array.from(s)), landscape });
  const r = spawnSync(PYTHON, [script, ...args], { input, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, timeout: 600_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`gudhi_ref.py failed (status ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** GUDHI's diagrams and numpy's landscapes of every sequence. */
export function gudhiReference(sequences: ArrayLike<number>[], landscape: LandscapeParams): GudhiReference {
  return JSON.parse(runScript([], sequences, landscape)) as GudhiReference;
}

/** Sequences per second GUDHI + numpy manage on `sequences` (best pass, timed inside python over about `seconds`). */
export function gudhiThroughput(sequences: ArrayLike<number>[], landscape: LandscapeParams, seconds: number): { gudhi: string; perSecond: number } {
  const r = JSON.parse(runScript(['--bench', String(seconds)], sequences, landscape)) as { gudhi: string; sequences: number; seconds: number };
  return { gudhi: r.gudhi, perSecond: r.sequences / r.seconds };
}

/** Whether the Debian python with GUDHI is there (CI installs python3-gudhi). */
export function hasGudhi(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import gudhi, numpy'], { encoding: 'utf8' });
  return r.status === 0;
}
