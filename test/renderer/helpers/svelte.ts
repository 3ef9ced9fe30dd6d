// Import this first in a test of the renderer's rune modules: it registers ./svelte-hooks.ts, so
// later dynamic imports of `*.svelte.ts` files are compiled by Svelte (see there).
import { register } from 'node:module';

register(new URL('./svelte-hooks.ts', import.meta.url));

/** Imports a renderer module after the hooks are in place (a static import would load before them). */
export function importRenderer<T>(pathFromRendererRoot: string): Promise<T> {
  return import(new URL(`../../../src-renderer/${pathFromRendererRoot}`, import.meta.url).href) as Promise<T>;
}
