import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { copyDemoLibrary, DEMO_FOLDER_NAME, shippedDemoDir } from '../../library/demo-library.ts';
import { defaultDataDir } from '../../library/paths.ts';
import type { ServiceContext } from '../context.ts';
import type { ScanSummary } from '../schemas/library.ts';
import type { Handlers } from '../service.ts';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

export interface AppHandlerDeps {
  /** The library's own scan (library.scan), so the demo's scan is one more scan, guarded like any other. */
  scan: (folders: string[]) => Promise<ScanSummary>;
  /** The shipped demo (default: resources/demo found from this module). */
  demoSource?: string;
}

/** The demo's copy sits beside the library database; an in-memory library uses the data folder. */
export function demoFolderFor(dbPath: string): string {
  return join(dbPath === ':memory:' ? defaultDataDir() : dirname(dbPath), DEMO_FOLDER_NAME);
}

export function appHandlers(ctx: ServiceContext, deps: AppHandlerDeps): Handlers<'app.info' | 'app.openDemo'> {
  return {
    'app.info': async () => ({
      name: 'betti',
      version: pkg.version,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      dbPath: ctx.dbPath,
    }),
    'app.openDemo': async () => {
      const { folder, copied } = await copyDemoLibrary(deps.demoSource ?? shippedDemoDir(), demoFolderFor(ctx.dbPath));
      // Scanned every time: a second call finds the same files unchanged and adds nothing.
      const scan = await deps.scan([folder]);
      return { folder, copied, scan };
    },
  };
}
