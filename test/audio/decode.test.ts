// decodeMono16k: every format the library scans, time ranges, the mono mix, anti-aliasing and
// failures, through each decoder (system ffmpeg, the bundled ffmpeg, the wasm codecs).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DECODER_ORDER, decodeMono16k, decodeRangesMono16k, type DecoderKind } from '../../src-main/audio/decode.ts';
import { MAX_RANGES_PER_RUN } from '../../src-main/audio/ffmpeg-decode.ts';
import { DecodeError } from '../../src-main/audio/errors.ts';
import { findBundledFfmpeg } from '../../src-main/audio/ffmpeg-binaries.ts';
import { formats, makeAudio, rms, toneMagnitude } from '../helpers/ffmpeg-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

const SR = 16000;
const dir = tempDir({ after });
const files: Record<string, string> = {};

before(() => {
  // 2 s of a 440 Hz tone, amplitude 0.5, stereo, in every format.
  for (const ext of Object.keys(formats)) files[`tone.${ext}`] = makeAudio(dir, 'tone', ext, { exprs: '0.5*sin(2*PI*440*t)|0.5*sin(2*PI*440*t)', seconds: 2 });
  // 440 Hz for 3 s then 2 kHz: a range across the change shows where the decoder seeked to.
  const change = "if(lt(t\\,3)\\,0.5*sin(2*PI*440*t)\\,0.5*sin(2*PI*2000*t))";
  files['change.flac'] = makeAudio(dir, 'change', 'flac', { exprs: change, seconds: 6 });
  files['change.mp3'] = makeAudio(dir, 'change', 'mp3', { exprs: change, seconds: 6 });
  // Different constant levels per channel: the mono mix must be their plain mean.
  files['stereo.wav'] = makeAudio(dir, 'stereo', 'wav', { exprs: '0.6|-0.2', seconds: 1, layout: 'stereo' });
  files['surround.flac'] = makeAudio(dir, 'surround', 'flac', { exprs: '0.1|0.2|0.3|0.4|0.5|0.6', seconds: 1, layout: '5.1' });
  for (const f of [7000, 8500, 9000]) files[`hf${f}.wav`] = makeAudio(dir, `hf${f}`, 'wav', { exprs: `0.5*sin(2*PI*${f}*t)`, seconds: 1, rate: 44100 });
  // Failures: text named .mp3; FLAC whose frames are overwritten with noise; a folder.
  files['text.mp3'] = join(dir, 'text.mp3');
  writeFileSync(files['text.mp3'], 'this is not audio\n'.repeat(100));
  const flac = Buffer.from(readFileSync(files['tone.flac']!));
  for (let i = 8000; i < flac.length; i += 50) flac[i] = (i * 7919) & 0xff;
  files['corrupt.flac'] = join(dir, 'corrupt.flac');
  writeFileSync(files['corrupt.flac'], flac);
  files['folder.flac'] = join(dir, 'folder.flac');
  mkdirSync(files['folder.flac']);
});

const decoders: DecoderKind[] = ['ffmpeg-system', 'ffmpeg-bundled', 'wasm'];

for (const decoder of decoders) {
  describe(`decoding with ${decoder}`, { skip: decoder === 'ffmpeg-bundled' && !findBundledFfmpeg() ? 'the @ffmpeg-installer binary for this platform is not installed' : false }, () => {
    for (const ext of Object.keys(formats)) {
      it(`decodes .${ext} to mono 16 kHz of the expected length and level`, async () => {
        const d = await decodeMono16k(files[`tone.${ext}`]!, { decoder });
        assert.equal(d.sampleRate, SR);
        assert.ok(d.decoder.startsWith(decoder === 'wasm' ? 'wasm' : decoder), d.decoder);
        // Lossy codecs may keep a few ms of encoder priming/padding.
        assert.ok(Math.abs(d.durationSec - 2) < 0.06, `decoded ${d.durationSec} s`);
        assert.equal(d.durationSec, d.samples.length / SR);
        const amp = toneMagnitude(d.samples, SR, 440, 0.25 * SR, 1.75 * SR);
        assert.ok(Math.abs(amp - 0.5) < 0.05, `440 Hz amplitude ${amp}`);
        assert.ok(d.samples.every((v) => v >= -1 && v <= 1));
      });
    }

    for (const ext of ['flac', 'mp3']) {
      it(`decodes exactly the requested range of a .${ext} (offset 2.5 s, 1 s)`, async () => {
        const d = await decodeMono16k(files[`change.${ext}`]!, { decoder, offset: 2.5, duration: 1 });
        assert.equal(d.samples.length, SR);
        assert.equal(d.durationSec, 1);
        // 2.5–3 s is 440 Hz, 3–3.5 s is 2 kHz; keep 50 ms away from the switch.
        const first = [toneMagnitude(d.samples, SR, 440, 0, 0.45 * SR), toneMagnitude(d.samples, SR, 2000, 0, 0.45 * SR)];
        const second = [toneMagnitude(d.samples, SR, 440, 0.55 * SR, SR), toneMagnitude(d.samples, SR, 2000, 0.55 * SR, SR)];
        assert.ok(first[0]! > 0.4 && first[1]! < 0.02, `before the switch: 440 Hz ${first[0]}, 2 kHz ${first[1]}`);
        assert.ok(second[1]! > 0.4 && second[0]! < 0.02, `after the switch: 440 Hz ${second[0]}, 2 kHz ${second[1]}`);
        // The switch itself lands at 0.5 s (± 5 ms): the seek is sample-accurate, not packet-rounded.
        const before440 = toneMagnitude(d.samples, SR, 440, 0.5 * SR - 400, 0.5 * SR - 80);
        const after2k = toneMagnitude(d.samples, SR, 2000, 0.5 * SR + 80, 0.5 * SR + 400);
        assert.ok(before440 > 0.3 && after2k > 0.3, `around 0.5 s: 440 Hz ${before440}, 2 kHz ${after2k}`);
      });
    }

    it('returns what is left when the range runs past the end of the file', async () => {
      const d = await decodeMono16k(files['change.flac']!, { decoder, offset: 5, duration: 10 });
      assert.ok(Math.abs(d.samples.length - SR) <= 2, `${d.samples.length} samples`);
    });

    it('decodes several ranges at once, each exactly as decoding it alone gives', async () => {
      for (const ext of ['flac', 'mp3']) {
        const path = files[`change.${ext}`]!;
        const ranges = [
          { offset: 0.5, duration: 1 },
          { offset: 2.5, duration: 1 },
          { offset: 4, duration: 1.5 },
        ];
        const together = await decodeRangesMono16k(path, ranges, { decoder });
        assert.equal(together.length, ranges.length);
        for (const [i, r] of ranges.entries()) {
          const alone = await decodeMono16k(path, { decoder, ...r });
          assert.equal(together[i]!.samples.length, alone.samples.length, `.${ext} range ${i}: length`);
          const worst = together[i]!.samples.reduce((m, v, k) => Math.max(m, Math.abs(v - alone.samples[k]!)), 0);
          assert.ok(worst < 1e-6, `.${ext} range ${i}: differs by ${worst}`);
          assert.equal(together[i]!.decoder, alone.decoder);
        }
      }
    });

    it('returns more ranges than one decoder run takes, in the order asked', async () => {
      // 20 quarter-second ranges alternating across the 440 Hz → 2 kHz switch at 3 s.
      const ranges = Array.from({ length: 20 }, (_, i) => ({ offset: i % 2 === 0 ? 0.25 + i * 0.1 : 3.25 + i * 0.1, duration: 0.25 }));
      assert.ok(ranges.length > MAX_RANGES_PER_RUN);
      const decoded = await decodeRangesMono16k(files['change.flac']!, ranges, { decoder });
      assert.equal(decoded.length, ranges.length);
      decoded.forEach((d, i) => {
        assert.equal(d.samples.length, SR / 4, `range ${i}`);
        const [want, other] = i % 2 === 0 ? [440, 2000] : [2000, 440];
        assert.ok(toneMagnitude(d.samples, SR, want, 0, SR / 4) > 0.4 && toneMagnitude(d.samples, SR, other, 0, SR / 4) < 0.02, `range ${i} at ${ranges[i]!.offset} s holds ${want} Hz`);
      });
    });

    it('gives an empty range past the end of the audio without failing the others', async () => {
      const [inside, past] = await decodeRangesMono16k(files['change.flac']!, [{ offset: 1, duration: 1 }, { offset: 30, duration: 1 }], { decoder });
      assert.equal(inside!.samples.length, SR);
      assert.equal(past!.samples.length, 0);
    });

    it('mixes stereo to the mean of the channels, not ffmpeg’s (L + R)·√½', async () => {
      const d = await decodeMono16k(files['stereo.wav']!, { decoder });
      const mid = d.samples.subarray(0.25 * SR, 0.75 * SR);
      for (const v of mid) assert.ok(Math.abs(v - 0.2) < 2e-3, `sample ${v}, expected 0.2`);
    });

    it('mixes 5.1 to the plain mean of its six channels', async () => {
      const d = await decodeMono16k(files['surround.flac']!, { decoder });
      const mid = d.samples.subarray(0.25 * SR, 0.75 * SR);
      for (const v of mid) assert.ok(Math.abs(v - 0.35) < 2e-3, `sample ${v}, expected 0.35`);
    });

    it('attenuates tones above 8 kHz in a 44.1 kHz file by ≥ 60 dB instead of aliasing them, and keeps 7 kHz', async () => {
      for (const f of [8500, 9000]) {
        const d = await decodeMono16k(files[`hf${f}.wav`]!, { decoder });
        const level = rms(d.samples, 0.1 * SR, 0.9 * SR) / (0.5 / Math.SQRT2);
        assert.ok(20 * Math.log10(level) < -60, `${f} Hz came through at ${(20 * Math.log10(level)).toFixed(1)} dB`);
      }
      const d = await decodeMono16k(files['hf7000.wav']!, { decoder });
      const level = rms(d.samples, 0.1 * SR, 0.9 * SR) / (0.5 / Math.SQRT2);
      assert.ok(20 * Math.log10(level) > -1, `7 kHz came through at ${(20 * Math.log10(level)).toFixed(2)} dB`);
    });

    it('refuses a text file named .mp3 with an error naming the file', async () => {
      await assert.rejects(decodeMono16k(files['text.mp3']!, { decoder }), (err: unknown) => {
        assert.ok(err instanceof DecodeError, String(err));
        assert.equal(err.kind, 'unsupported-format');
        assert.equal(err.path, files['text.mp3']);
        assert.match(err.message, /text\.mp3: \S/);
        return true;
      });
    });

    it('reports damaged audio data as decode-failed, naming the file and the reason', async () => {
      await assert.rejects(decodeMono16k(files['corrupt.flac']!, { decoder }), (err: unknown) => {
        assert.ok(err instanceof DecodeError, String(err));
        assert.equal(err.kind, 'decode-failed');
        assert.equal(err.path, files['corrupt.flac']);
        assert.ok(err.message.startsWith(`cannot decode ${files['corrupt.flac']}: `), err.message);
        assert.ok(err.hint && err.hint.length > 0);
        return true;
      });
    });
  });
}

describe('decoding failures and choices common to every decoder', () => {
  it('reports a missing file as not-found, naming it', async () => {
    const path = join(dir, 'gone.mp3');
    await assert.rejects(decodeMono16k(path), (err: unknown) => err instanceof DecodeError && err.kind === 'not-found' && err.path === path && err.message.includes(path));
  });

  it('refuses a folder', async () => {
    await assert.rejects(decodeMono16k(files['folder.flac']!), (err: unknown) => err instanceof DecodeError && err.kind === 'unsupported-format' && err.path === files['folder.flac']);
  });

  it('refuses a negative offset and a zero duration', async () => {
    await assert.rejects(decodeMono16k(files['tone.wav']!, { offset: -1 }), /offset must be/);
    await assert.rejects(decodeMono16k(files['tone.wav']!, { duration: 0 }), /duration must be/);
  });

  it('says when the offset lies past the end of the file', async () => {
    await assert.rejects(decodeMono16k(files['tone.flac']!, { offset: 60, duration: 1 }), (err: unknown) => err instanceof DecodeError && /no audio decoded at 60 s/.test(err.message));
  });

  it('is cancelled by its AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(decodeMono16k(files['tone.flac']!, { signal: controller.signal }), (err: unknown) => err instanceof DecodeError && err.kind === 'cancelled');
  });

  it('uses the bundled ffmpeg first, as measured fastest', { skip: findBundledFfmpeg() ? false : 'no bundled ffmpeg for this platform' }, async (t) => {
    const saved = process.env.BETTI_DECODER;
    delete process.env.BETTI_DECODER;
    t.after(() => {
      if (saved !== undefined) process.env.BETTI_DECODER = saved;
    });
    assert.deepEqual(DECODER_ORDER, ['ffmpeg-bundled', 'ffmpeg-system', 'wasm']);
    assert.match((await decodeMono16k(files['tone.mp3']!)).decoder, /^ffmpeg-bundled\//);
  });

  it('falls back to the next decoder when an ffmpeg is missing, down to the wasm codecs', async (t) => {
    const saved = process.env.BETTI_FFMPEG;
    process.env.BETTI_FFMPEG = join(dir, 'no-such-ffmpeg');
    t.after(() => {
      if (saved === undefined) delete process.env.BETTI_FFMPEG;
      else process.env.BETTI_FFMPEG = saved;
    });
    assert.equal((await decodeMono16k(files['tone.mp3']!, { order: ['ffmpeg-system', 'wasm'] })).decoder, 'wasm/betti-sinc');
    await assert.rejects(decodeMono16k(files['tone.mp3']!, { decoder: 'ffmpeg-system' }), /ffmpeg-system decoder is not available: no ffmpeg on PATH/);
  });

  it('hands a format one decoder cannot read to the next, and reports the first reason if none can', async () => {
    await assert.rejects(decodeMono16k(files['text.mp3']!, { order: ['ffmpeg-system', 'wasm'] }), (err: unknown) => {
      assert.ok(err instanceof DecodeError && err.kind === 'unsupported-format');
      assert.match(err.message, /Failed to read frame size|Invalid data/); // ffmpeg's words, not the wasm decoder's
      return true;
    });
  });

  it('uses the decoders BETTI_DECODER names, and refuses an unknown name', async (t) => {
    const saved = process.env.BETTI_DECODER;
    t.after(() => {
      if (saved === undefined) delete process.env.BETTI_DECODER;
      else process.env.BETTI_DECODER = saved;
    });
    process.env.BETTI_DECODER = 'wasm';
    assert.equal((await decodeMono16k(files['tone.ogg']!)).decoder, 'wasm/betti-sinc');
    process.env.BETTI_DECODER = 'ffmpeg-system, wasm';
    assert.match((await decodeMono16k(files['tone.ogg']!)).decoder, /^ffmpeg-system\//);
    process.env.BETTI_DECODER = 'gstreamer';
    await assert.rejects(decodeMono16k(files['tone.ogg']!), /unknown decoder "gstreamer"/);
  });

  it('gives nearly the same samples from every decoder', async () => {
    const [a, b, c] = await Promise.all(decoders.map((decoder) => decodeMono16k(files['change.flac']!, { decoder, offset: 1, duration: 3 })));
    for (const other of [b!, c!]) {
      let diff = 0;
      for (let i = 0; i < a!.samples.length; i++) diff = Math.max(diff, Math.abs(a!.samples[i]! - other.samples[i]!));
      assert.ok(diff < 0.01, `${other.decoder} differs from ${a!.decoder} by up to ${diff}`);
    }
  });
});
