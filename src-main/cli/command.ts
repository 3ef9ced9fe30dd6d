// The shape of one CLI command (../shared/STYLE.md §5): it parses its own arguments, calls the
// BettiClient, and returns a value. `--json` prints that value; otherwise `human` renders it.
import type { BettiClient } from '../api/contract.ts';
import type { EventBus } from '../api/events.ts';
import type { BettiService } from '../api/service.ts';
import type { Progress } from './progress.ts';

export interface CliContext {
  readonly client: BettiClient;
  /** The in-process service behind the client, for commands that are themselves a transport (`serve`). */
  readonly host: { readonly service: BettiService; readonly bus: EventBus };
  readonly json: boolean;
  readonly progress: Progress;
  /** Text a command streams while it runs (never in --json mode). */
  info(line: string): void;
  /** Reads all of standard input (for commands that take JSON on stdin). */
  readStdin(): Promise<string>;
}

export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  readonly defaultValue?: string | boolean;
}

export interface CommandSpec<T = unknown> {
  /** Commander syntax, e.g. `scan <folders...>`. */
  readonly usage: string;
  readonly describe: string;
  readonly options?: readonly OptionSpec[];
  run(ctx: CliContext, args: string[], options: Record<string, unknown>): Promise<T>;
  /** The human view of the result. */
  human(result: T): string;
  /** The command prints its own output while it runs (long-running `serve`): main prints nothing after. */
  readonly printsOwnOutput?: boolean;
  /** Exit status for a finished run (default 0). */
  exitCode?(result: T): number;
}

export function defineCommand<T>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec;
}
