import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BettiError } from '../../api/errors.ts';
import { defineCommand } from '../command.ts';

interface ServeResult {
  url: string;
  stopped: string;
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  spawn(cmd, args, { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
}

export const serveCommand = defineCommand<ServeResult>({
  usage: 'serve',
  describe: 'Serve the Betti UI and API in a browser, on 127.0.0.1 only, behind a token',
  options: [
    { flags: '--port <n>', description: 'port to listen on (default: a free one)' },
    { flags: '--open', description: 'open the URL in the default browser' },
    { flags: '--renderer <dir>', description: 'serve the renderer built into DIR (default: out/renderer; tests and development)' },
  ],
  printsOwnOutput: true,
  async run(ctx, _args, opts) {
    const port = opts.port === undefined ? 0 : Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new BettiError('invalid-request', `--port ${String(opts.port)} is not a port number`, { hint: 'Use a whole number from 1 to 65535, or leave it out.' });
    }
    const { startBettiServer } = await import('../../server/http-server.ts');
    const server = await startBettiServer({
      ...ctx.host,
      port,
      rendererDir: typeof opts.renderer === 'string' ? resolve(opts.renderer) : fileURLToPath(new URL('../../../out/renderer', import.meta.url)),
    }).catch((err: NodeJS.ErrnoException) => {
      throw new BettiError('io', `Cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`, { hint: 'Pick another --port, or leave it out for a free one.' });
    });
    // The URL is the one thing a person needs right away; the result prints when the server stops.
    process.stdout.write(ctx.json ? `${JSON.stringify({ url: server.url, port: server.port })}\n` : `Betti is serving on ${server.url}\n(Ctrl+C to stop)\n`);
    if (opts.open) openInBrowser(server.url);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await server.close();
    return { url: server.url, stopped: signal };
  },
  human: (r) => `stopped (${r.stopped})`,
});
