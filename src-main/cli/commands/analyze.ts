// `betti analyze`: analyse every track of the library that needs it (new, changed, or analysed
// with an older spec or model) with a pool of workers, storing each result as it comes, so an
// interrupted run (Ctrl+C, a crash, kill -9) resumes where it stopped. A progress bar on a
// terminal; the first Ctrl+C stops cleanly after cancelling the tracks in flight.
import { basename } from 'node:path';
import type { AnalysisStatus } from '../../api/schemas/analysis.ts';
import { BettiError } from '../../api/errors.ts';
import { defineCommand } from '../command.ts';
import { intOption } from '../model-options.ts';
import { formatSeconds } from '../progress.ts';

const SHOWN_FAILURES = 10;

function timeoutOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.1 || n > 3600) throw new BettiError('invalid-request', `--timeout must be a number of seconds from 0.1 to 3600 (got "${String(value)}")`);
  return n;
}

function human(s: AnalysisStatus): string {
  const lines: string[] = [];
  if (s.failures.length > 0) {
    lines.push(`Could not analyse ${s.errors} track(s):`);
    for (const f of s.failures.slice(0, SHOWN_FAILURES)) lines.push(`  ${f.message.includes(f.path) ? f.message : `${f.path}: ${f.message}`}`);
    if (s.errors > SHOWN_FAILURES) lines.push(`  … and ${s.errors - SHOWN_FAILURES} more (betti analyze --json lists them)`);
    lines.push('');
  }
  if (s.state === 'failed') {
    lines.push(`The analysis stopped: ${s.error?.message ?? 'unknown error'}`);
    if (s.error?.hint) lines.push(`  ${s.error.hint}`);
  }
  const rate = s.analysed > 0 ? `, ${s.tracksPerSec.toFixed(1)} tracks/s` : '';
  const workers = `${s.jobs} worker${s.jobs === 1 ? '' : 's'}`;
  if (s.state === 'done' && s.total === 0) lines.push('Nothing to analyse: every track is up to date.');
  lines.push(`analysed ${s.analysed}, failed ${s.errors}, from cache ${s.cached}, already analysed ${s.upToDate} (${formatSeconds(s.elapsedSec)}${rate}, ${workers})`);
  if (s.state === 'cancelled') lines.push(`Stopped with ${s.library.pending} track(s) still queued; run \`betti analyze\` again to finish.`);
  if (s.library.failed > 0) lines.push(`${s.library.failed} track(s) in the library failed to analyse; \`betti analyze --retry-failed\` tries them again.`);
  if (s.state === 'done' || s.state === 'cancelled') lines.push('See the suggested tags: betti suggest');
  return lines.join('\n');
}

export const analyzeCommand = defineCommand<AnalysisStatus>({
  usage: 'analyze',
  describe: 'Analyse the tracks that need it (new, changed, or analysed with an older model) and suggest tags; resumable',
  options: [
    { flags: '--jobs <n>', description: 'analysis workers (default: CPU cores − 1, at least 1)' },
    { flags: '--timeout <seconds>', description: 'a track still running after this long is stopped and retried once (default 120)' },
    { flags: '--windows <n>', description: 'at most this many analysis windows per track (default 3)' },
    { flags: '--retry-failed', description: 'try again the tracks that failed with this model' },
    { flags: '--no-pictures', description: "do not store the inspector's pictures (log-mel and landscapes)" },
  ],
  async run(ctx, _args, opts) {
    const jobs = intOption(opts.jobs, '--jobs');
    const maxWindows = intOption(opts.windows, '--windows');
    const timeoutSec = timeoutOption(opts.timeout);
    let resolveEnd!: () => void;
    const ended = new Promise<void>((resolve) => (resolveEnd = resolve));
    const stop = ctx.client.on('analysis.progress', (p) => {
      const current = p.current ? `  ${basename(p.current)}` : '';
      const errors = p.errors > 0 ? ` · ${p.errors} failed` : '';
      if (p.state === 'running' || ctx.json) ctx.progress.update(p.done, p.total, `${p.tracksPerSec.toFixed(1)} tracks/s${errors}${current}`, p);
      if (p.state === 'done' || p.state === 'cancelled') resolveEnd();
    });
    // The first Ctrl+C cancels (tracks in flight go back to the queue); a second one kills.
    const onSigint = () => {
      ctx.info('\nstopping… (Ctrl+C again to quit at once)');
      void ctx.client['analysis.cancel']({});
      process.off('SIGINT', onSigint);
    };
    process.on('SIGINT', onSigint);
    try {
      await ctx.client['analysis.start']({
        ...(jobs === undefined ? {} : { jobs }),
        ...(maxWindows === undefined ? {} : { maxWindows }),
        ...(timeoutSec === undefined ? {} : { timeoutSec }),
        retryFailed: opts.retryFailed === true,
        pictures: opts.pictures !== false,
      });
      await ended;
      return await ctx.client['analysis.status']({});
    } finally {
      process.off('SIGINT', onSigint);
      stop();
    }
  },
  human,
  exitCode: (s) => (s.state === 'cancelled' ? 130 : s.state === 'failed' || (s.analysed === 0 && s.errors > 0) ? 1 : 0),
});
