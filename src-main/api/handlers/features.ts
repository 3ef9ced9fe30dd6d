// `features.compute`: decode, then log-mel and chroma, each timed. The audio and DSP modules load on
// first use so that `betti --help` and the other commands do not pay for them.
import { FEATURE_SPEC } from '../../features/spec.ts';
import type { Handlers } from '../service.ts';

/** A float32 printed with 9 significant digits reads back as the same float32, in fewer characters. */
function f32(v: number): number {
  return Number(v.toPrecision(9));
}

export function featuresHandlers(): Handlers<'features.compute'> {
  return {
    'features.compute': async ({ path, offset, duration }) => {
      const [{ decodeMono16k }, { logMel }, { chroma }] = await Promise.all([import('../../audio/decode.ts'), import('../../features/logmel.ts'), import('../../features/chroma.ts')]);
      const t0 = performance.now();
      const audio = await decodeMono16k(path, { ...(offset !== undefined ? { offset } : {}), ...(duration !== undefined ? { duration } : {}) });
      const t1 = performance.now();
      const lm = logMel(audio.samples);
      const t2 = performance.now();
      const pc = chroma(audio.samples);
      const t3 = performance.now();
      const rows: number[][] = [];
      for (let t = 0; t < lm.frames; t++) rows.push(Array.from(lm.data.subarray(t * lm.bands, (t + 1) * lm.bands), f32));
      const chromaRows: number[][] = [];
      for (let t = 0; t < pc.frames; t++) chromaRows.push(Array.from(pc.data.subarray(t * pc.bins, (t + 1) * pc.bins), f32));
      return {
        spec: { ...FEATURE_SPEC },
        path,
        decoder: audio.decoder,
        durationSec: audio.durationSec,
        frames: lm.frames,
        bands: lm.bands,
        logMel: rows,
        chroma: chromaRows,
        timing: { decodeMs: t1 - t0, logMelMs: t2 - t1, chromaMs: t3 - t2 },
      };
    },
  };
}
