// Module hooks that let plain Node import the renderer's rune modules (`*.svelte.ts`) in DOM-less
// tests: the TypeScript is stripped, the Svelte compiler turns the runes into its client runtime
// calls, and `svelte` itself resolves to its browser build (the one the app runs), not the
// server one Node would pick. Registered by ./svelte.ts.
import { readFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ResolveContext {
  conditions: string[];
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;
type NextLoad = (url: string, context: unknown) => Promise<unknown>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<unknown> {
  if (specifier === 'svelte' || specifier.startsWith('svelte/') || specifier === 'esm-env' || specifier.startsWith('esm-env/')) {
    return next(specifier, { ...context, conditions: ['browser', ...context.conditions.filter((c) => c !== 'node')] });
  }
  return next(specifier, context);
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<unknown> {
  if (!url.startsWith('file:') || !url.endsWith('.svelte.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const js = stripTypeScriptTypes(await readFile(filename, 'utf8'), { mode: 'strip' });
  const { compileModule } = await import('svelte/compiler');
  const compiled = compileModule(js, { filename, generate: 'client', dev: false });
  return { format: 'module', source: compiled.js.code, shortCircuit: true };
}
