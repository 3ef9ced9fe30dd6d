// `betti scan <folder>…`: find and read the audio under folders into the library. Incremental:
// unchanged files are not read again, moved files keep their identity, deleted ones are marked
// missing. Ctrl+C stops it cleanly (what was read is kept); --json prints the summary, per-file
// errors included, as one document, and each progress event as a JSON line on stderr.
import type { ScanSummary } from '../../api/schemas/library.ts';
import { defineCommand } from '../command.ts';

const SHOWN_ERRORS = 10;

export function summaryLine(s: ScanSummary): string {
  return `scanned ${s.scanned}, new ${s.new}, changed ${s.changed}, moved ${s.moved}, missing ${s.missing}, errors ${s.errors}`;
}

function human(s: ScanSummary): string {
  const lines: string[] = [];
  if (s.errorFiles.length > 0) {
    lines.push(`Could not read ${s.errorFiles.length} file(s) or folder(s):`);
    for (const e of s.errorFiles.slice(0, SHOWN_ERRORS)) lines.push(`  ${e.message}`);
    if (s.errorFiles.length > SHOWN_ERRORS) lines.push(`  … and ${s.errorFiles.length - SHOWN_ERRORS} more`);
    lines.push('');
  }
  if (s.cancelled) lines.push('Scan stopped before the end; what was read is kept. Run the same scan again to finish it.');
  lines.push(`${summaryLine(s)} (unchanged ${s.unchanged}, ${(s.durationMs / 1000).toFixed(1)} s)`);
  if (s.refreshed > 0) lines.push(`Read ${s.refreshed} unchanged file(s) again: this version of Betti reads more from them than the one that scanned them.`);
  if (s.errors > 0) lines.push('List the files with errors: betti library --errors');
  return lines.join('\n');
}

export const scanCommand = defineCommand<ScanSummary>({
  usage: 'scan <folders...>',
  describe: 'Scan folders for audio files and read their tags into the library (incremental)',
  async run(ctx, folders) {
    const stop = ctx.client.on('scan.progress', (p) => {
      if (p.phase === 'walk') ctx.progress.update(0, 0, `finding audio files… ${p.done} so far`, p);
      else ctx.progress.update(p.done, p.total, p.path, p);
    });
    // The first Ctrl+C asks the scan to stop after the files in flight; a second one kills it.
    const onSigint = () => {
      void ctx.client['library.cancelScan']({});
      process.off('SIGINT', onSigint);
    };
    process.on('SIGINT', onSigint);
    try {
      return await ctx.client['library.scan']({ folders });
    } finally {
      process.off('SIGINT', onSigint);
      stop();
    }
  },
  human,
  exitCode: (s) => (s.cancelled ? 130 : 0),
});
