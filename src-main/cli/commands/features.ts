// `betti features <file>`: the network's input for a file or a range of it: the feature spec,
// the log-mel matrix (frames × 128) and how long decoding and the DSP took.
import { BettiError } from '../../api/errors.ts';
import type { FeaturesComputeResponse } from '../../api/schemas/features.ts';
import { defineCommand } from '../command.ts';

function seconds(flag: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) {
    throw new BettiError('invalid-request', `${flag} must be a number of seconds, got "${String(raw)}"`, { hint: `e.g. betti features song.flac ${flag} 30` });
  }
  return value;
}

const PITCH_CLASSES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

/** The classes by their mean over the frames, strongest first, as "A 5.1, E 4.8, …" (the top five). */
function strongestClasses(rows: readonly (readonly number[])[]): string {
  const mean = PITCH_CLASSES.map((_, k) => rows.reduce((s, row) => s + row[k]!, 0) / rows.length);
  return mean
    .map((v, k) => [v, k] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 5)
    .map(([v, k]) => `${PITCH_CLASSES[k]} ${v.toFixed(1)}`)
    .join(', ');
}

/** A few characters of shading per value, so a person can see the spectrogram's shape in a terminal. */
const SHADES = ' .:-=+*#%@';

function human(r: FeaturesComputeResponse): string {
  const lines = [
    `${r.path}`,
    `  ${r.durationSec.toFixed(2)} s decoded by ${r.decoder} in ${r.timing.decodeMs.toFixed(0)} ms; log-mel ${r.frames} frames × ${r.bands} bands in ${r.timing.logMelMs.toFixed(1)} ms`,
    `  spec ${r.spec.version}: ${r.spec.sampleRate} Hz, STFT ${r.spec.nFft}/${r.spec.hop} ${r.spec.window}, ${r.spec.nMels} ${r.spec.melScale} mels ${r.spec.fMin}–${r.spec.fMax} Hz, log10(1 + ${r.spec.logMultiplier}·mel);`,
    `    chroma: STFT ${r.spec.chroma.nFft}, ${r.spec.chroma.bins} pitch classes from ${r.spec.chroma.fMin}–${r.spec.chroma.fMax} Hz, in ${r.timing.chromaMs.toFixed(1)} ms`,
  ];
  if (r.frames === 0) return lines.join('\n');
  lines.push('', `  pitch classes (mean over the frames, strongest first): ${strongestClasses(r.chroma)}`);
  let max = 0;
  for (const row of r.logMel) for (const v of row) max = Math.max(max, v);
  // High bands on top, time to the right; at most 100 columns and 16 rows (8 bands per row).
  const step = Math.max(1, Math.ceil(r.frames / 100));
  lines.push('', `  spectrogram (rows: 8 mel bands each, high on top; columns: ${step} frame(s) each)`);
  for (let top = r.bands - 8; top >= 0; top -= 8) {
    let row = '  |';
    for (let t = 0; t < r.frames; t += step) {
      let v = 0;
      for (let tt = t; tt < Math.min(r.frames, t + step); tt++) for (let b = top; b < top + 8; b++) v = Math.max(v, r.logMel[tt]![b]!);
      row += SHADES[Math.min(SHADES.length - 1, Math.floor((v / (max || 1)) * (SHADES.length - 1)))];
    }
    lines.push(`${row}|`);
  }
  lines.push('', '  --json prints the full matrix.');
  return lines.join('\n');
}

export const featuresCommand = defineCommand<FeaturesComputeResponse>({
  usage: 'features <file>',
  describe: 'Decode a file to 16 kHz mono and print its log-mel spectrogram and pitch classes (the network input) with the feature spec',
  options: [
    { flags: '--offset <seconds>', description: 'start this many seconds into the file' },
    { flags: '--duration <seconds>', description: 'analyse this many seconds (default: to the end)' },
  ],
  run(ctx, args, options) {
    const offset = seconds('--offset', options.offset);
    const duration = seconds('--duration', options.duration);
    return ctx.client['features.compute']({ path: args[0]!, ...(offset !== undefined ? { offset } : {}), ...(duration !== undefined ? { duration } : {}) });
  },
  human,
});
