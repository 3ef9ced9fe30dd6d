// Every `betti` command, in the order `betti --help` lists them.
import type { CommandSpec } from '../command.ts';
import { analyzeCommand } from './analyze.ts';
import { applyCommand } from './apply.ts';
import { acceptCommand, rejectCommand } from './decide.ts';
import { evalCommand } from './eval.ts';
import { featuresCommand } from './features.ts';
import { historyCommand } from './history.ts';
import { infoCommand } from './info.ts';
import { learnCommand } from './learn.ts';
import { libraryCommand } from './library.ts';
import { modelCommand } from './model.ts';
import { persistenceCommand } from './persistence.ts';
import { predictCommand } from './predict.ts';
import { scanCommand } from './scan.ts';
import { serveCommand } from './serve.ts';
import { settingsCommand } from './settings.ts';
import { similarCommand } from './similar.ts';
import { suggestCommand } from './suggest.ts';
import { undoCommand } from './undo.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own result type
export const commands: readonly CommandSpec<any>[] = [infoCommand, scanCommand, libraryCommand, analyzeCommand, suggestCommand, acceptCommand, rejectCommand, learnCommand, similarCommand, applyCommand, historyCommand, undoCommand, settingsCommand, serveCommand, persistenceCommand, featuresCommand, predictCommand, evalCommand, modelCommand];
