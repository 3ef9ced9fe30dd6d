import { createRequire } from 'node:module';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

export function appHandlers(ctx: ServiceContext): Handlers<'app.info'> {
  return {
    'app.info': async () => ({
      name: 'betti',
      version: pkg.version,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      dbPath: ctx.dbPath,
    }),
  };
}
