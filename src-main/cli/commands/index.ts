// Every `betti` command, in the order `betti --help` lists them.
import type { CommandSpec } from '../command.ts';
import { infoCommand } from './info.ts';
import { persistenceCommand } from './persistence.ts';
import { serveCommand } from './serve.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own result type
export const commands: readonly CommandSpec<any>[] = [infoCommand, serveCommand, persistenceCommand];
