// Reading ffmpeg's stderr (run with `-v error`): what went wrong, in one clean line, and whether
// the file could not be opened as audio at all (unsupported) or its audio data is damaged.
import type { DecodeErrorKind } from './errors.ts';

const NOISE = /^(Conversion failed!|Exiting normally|Last message repeated \d+ times?)/;
/** `[flac @ 0x55…] `, `[aist#0:0/flac @ 0x…] `: the context prefix of a log line. */
const CONTEXT = /^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i;
/** Lines ffmpeg prints for each packet it failed to decode (5.x and 6.x+ wordings). */
const DECODE_ERROR = /Error while decoding stream|Decoding error|decode_frame\(\) failed/i;
/** `-map 0:a:0` found nothing: an image, a video without sound, a playlist. */
const NO_AUDIO = /matches no streams|does not contain any stream/i;
/** ffmpeg's words for input that is not a stream it can read. */
const UNREADABLE = [
  /Invalid data found when processing input/i,
  /could not find codec parameters/i,
  /decoder .* not found|unknown decoder|no decoder/i,
  /not supported/i,
];

export interface FfmpegProblem {
  kind: DecodeErrorKind;
  reason: string;
}

function meaningfulLines(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !NOISE.test(l));
}

function clean(line: string, path: string): string {
  let cleaned = line.replace(CONTEXT, '');
  if (cleaned.startsWith(`${path}: `)) cleaned = cleaned.slice(path.length + 2);
  return cleaned.replace(/\s+/g, ' ').slice(0, 300);
}

/** The last meaningful line of stderr, without its context prefix and the file path. */
export function cleanFfmpegStderr(stderr: string, path: string): string {
  const lines = meaningfulLines(stderr);
  const last = lines.at(-1);
  return last === undefined ? '' : clean(last, path);
}

/**
 * What a finished ffmpeg run says about the file, or undefined when it decoded cleanly.
 * A nonzero status whose last line is `<path>: <reason>` failed to open the input (unsupported);
 * per-packet decoding errors mean damaged audio even when ffmpeg carries on and exits 0.
 */
export function ffmpegProblem(stderr: string, path: string, status: number | null): FfmpegProblem | undefined {
  const lines = meaningfulLines(stderr);
  const decodeErrors = lines.filter((l) => DECODE_ERROR.test(l));
  if (status === 0 && decodeErrors.length === 0) return undefined;
  if (status !== 0 && NO_AUDIO.test(stderr)) return { kind: 'unsupported-format', reason: 'it holds no audio stream' };
  const last = lines.at(-1) ?? '';
  const openFailed = last.startsWith(`${path}: `);
  if (status !== 0 && (openFailed || (decodeErrors.length === 0 && UNREADABLE.some((re) => re.test(stderr))))) {
    // "t.mp3: Invalid argument" alone says little; the line before it says why.
    const before = lines.length > 1 ? clean(lines.at(-2)!, path) : '';
    const reason = clean(last, path);
    return { kind: 'unsupported-format', reason: before && openFailed ? `${before} (${reason})` : reason || `ffmpeg exited with status ${status}` };
  }
  if (decodeErrors.length > 0) {
    // The codec's own line (before "Error while decoding") names the defect, e.g. "invalid residual".
    const firstAt = lines.findIndex((l) => DECODE_ERROR.test(l));
    const detail = lines.slice(0, firstAt + 1).map((l) => clean(l, path)).filter((l) => !DECODE_ERROR.test(l)).at(-1);
    const first = clean(lines[firstAt]!, path);
    return { kind: 'decode-failed', reason: `damaged audio data: ${detail ? `${detail}; ` : ''}${first} (${decodeErrors.length} error${decodeErrors.length === 1 ? '' : 's'})` };
  }
  return { kind: 'decode-failed', reason: clean(last, path) || `ffmpeg exited with status ${status}` };
}
