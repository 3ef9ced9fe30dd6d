// Progress of a long command, on stderr (../shared/STYLE.md §5). For people: a bar, rewritten at
// most every 100 ms, shown only on a terminal and not under CI. With --json: each progress event
// as a JSON line, for scripts, while stdout keeps to the one JSON document of the result.
export interface Progress {
  /**
   * `event` is the API's progress payload behind this update: --json mode writes each one as the
   * line `{"progress": event}` (or done, total and label when there is none). A scan's come at
   * most every 100 ms; a write's, a prediction's or an analysis's once per file.
   */
  update(done: number, total: number, label?: string, event?: object): void;
  /** Clears the line (the command then prints its summary). */
  finish(): void;
}

export function createJsonLinesProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  return {
    update(done, total, label, event) {
      stream.write(`${JSON.stringify({ progress: event ?? { done, total, ...(label ? { label } : {}) } })}\n`);
    },
    finish() {},
  };
}

export function createProgress(opts: { stream?: NodeJS.WriteStream; hint?: string } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const enabled = stream.isTTY === true && !process.env.CI;
  let last = 0;
  let started = 0;
  let shown = false;
  return {
    update(done, total, label = '') {
      if (!enabled) return;
      const now = Date.now();
      if (!started) started = now;
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 24;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
      const elapsed = (now - started) / 1000;
      const eta = done > 0 && total > done ? ` ${formatSeconds((elapsed / done) * (total - done))} left` : '';
      const cols = stream.columns ?? 100;
      const text = `${bar} ${done}/${total}${eta}  ${opts.hint ?? 'Ctrl+C to stop'}  ${label}`;
      stream.write(`\r\x1b[K${text.slice(0, cols - 1)}`);
      shown = true;
    },
    finish() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
