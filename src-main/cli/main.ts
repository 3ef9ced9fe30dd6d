// `betti` CLI entry: registers the commands, applies the global options (--db, --json), runs one
// command through the direct transport and prints its result. Exit status: 0 ok, 1 failure,
// 2 usage error (../shared/STYLE.md §5).
import { Command, CommanderError } from 'commander';
import { createContext } from '../api/context.ts';
import { createDirectClient } from '../api/direct.ts';
import { BettiError, toWireError } from '../api/errors.ts';
import { EventBus } from '../api/events.ts';
import { createService } from '../api/service.ts';
import { defaultDbPath } from '../library/paths.ts';
import type { CliContext, CommandSpec } from './command.ts';
import { commands } from './commands/index.ts';
import { createJsonLinesProgress, createProgress } from './progress.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function printError(err: unknown, json: boolean): void {
  const wire = toWireError(err);
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: wire })}\n`);
    return;
  }
  process.stderr.write(`betti: ${wire.message}\n`);
  if (wire.hint) process.stderr.write(`  ${wire.hint}\n`);
  if (!(err instanceof BettiError) && err instanceof Error && err.stack && process.env.BETTI_DEBUG) process.stderr.write(`${err.stack}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  let exitCode = 0;
  const program = new Command('betti')
    .description('Betti: a music-library tagger that listens. Scan, analyse, review and safely write tags.')
    .option('--db <file>', 'library database (default: the per-user Betti folder)')
    .option('--json', 'print the result as one JSON document on stdout (and progress as JSON lines on stderr)')
    .showHelpAfterError()
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const runCommand = async (spec: CommandSpec, args: string[], options: Record<string, unknown>) => {
    const globals = program.opts<{ db?: string; json?: boolean }>();
    const bus = new EventBus();
    const context = createContext({ dbPath: globals.db ?? process.env.BETTI_DB ?? defaultDbPath(), bus });
    const service = createService(context);
    const ctx: CliContext = {
      client: createDirectClient(service, bus),
      host: { service, bus },
      json,
      progress: json ? createJsonLinesProgress() : createProgress(),
      info: (line) => {
        if (!json) process.stderr.write(`${line}\n`);
      },
      readStdin,
    };
    try {
      const result = await spec.run(ctx, args, options);
      ctx.progress.finish();
      if (!spec.printsOwnOutput) process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${spec.human(result)}\n`);
      exitCode = spec.exitCode?.(result) ?? 0;
    } finally {
      ctx.progress.finish();
      await context.close();
    }
  };

  for (const spec of commands) {
    const cmd = program.command(spec.usage).description(spec.describe);
    for (const o of spec.options ?? []) cmd.option(o.flags, o.description, o.defaultValue);
    cmd.action(async (...params: unknown[]) => {
      // commander passes positional args, then the options object, then the command.
      const command = params.at(-1) as Command;
      const positional = params.slice(0, -2).flatMap((p) => (Array.isArray(p) ? (p as string[]) : p === undefined ? [] : [String(p)]));
      await runCommand(spec, positional, command.opts());
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors with 2.
      return err.exitCode === 0 ? 0 : 2;
    }
    printError(err, json);
    return err instanceof BettiError && err.kind === 'invalid-request' ? 2 : 1;
  }
}
