// MonoWavSink: the WAV stream ffmpeg writes to a pipe arrives in chunks of any size and alignment;
// what comes out must not depend on how it was cut.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MonoWavSink, WavFormatError } from '../../src-main/audio/wav-mono-sink.ts';

/** A 32-bit float WAV of interleaved `frames` (one array per frame, one value per channel). */
function floatWav(frames: number[][], sampleRate = 16000): Buffer {
  const channels = frames[0]!.length;
  const data = Buffer.alloc(frames.length * channels * 4);
  frames.flat().forEach((v, i) => data.writeFloatLE(v, i * 4));
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(3, 0); // IEEE float
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * channels * 4, 8);
  fmt.writeUInt16LE(channels * 4, 12);
  fmt.writeUInt16LE(32, 14);
  const chunk = (id: string, body: Buffer) => Buffer.concat([Buffer.from(id, 'latin1'), Buffer.from(new Uint32Array([body.length]).buffer), body]);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', fmt), chunk('data', data)]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from(new Uint32Array([body.length]).buffer), body]);
}

/** Feeds `wav` in pieces of the given sizes (cycled), each copied to a buffer at an odd offset. */
function feed(sink: MonoWavSink, wav: Buffer, sizes: number[]): Float32Array {
  for (let at = 0, k = 0; at < wav.length; k++) {
    const n = sizes[k % sizes.length]!;
    const backing = Buffer.alloc(n + 3);
    wav.copy(backing, 3, at, at + n);
    sink.write(backing.subarray(3, 3 + Math.min(n, wav.length - at)));
    at += n;
  }
  return sink.finish();
}

describe('MonoWavSink', () => {
  const stereo = Array.from({ length: 1001 }, (_, i) => [Math.sin(i / 7) * 0.8, Math.cos(i / 5) * 0.4]);
  const mean = Float32Array.from(stereo, ([l, r]) => (Math.fround(l!) + Math.fround(r!)) / 2);

  it('gives the mean of the channels however the stream is cut, aligned or not', () => {
    const wav = floatWav(stereo);
    for (const sizes of [[wav.length], [1], [3, 7, 11], [4096], [13, 4000, 2]]) {
      const sink = new MonoWavSink();
      const out = feed(sink, wav, sizes);
      assert.equal(sink.channels, 2);
      assert.equal(sink.sampleRate, 16000);
      assert.equal(out.length, stereo.length, `pieces of ${sizes.join(', ')} bytes`);
      out.forEach((v, i) => assert.ok(Math.abs(v - mean[i]!) < 1e-7, `pieces of ${sizes.join(', ')}: sample ${i} is ${v}, expected ${mean[i]}`));
    }
  });

  it('keeps at most its limit of samples, and clamps to [-1, 1]', () => {
    const loud = floatWav([[1.5], [-2], [0.25], [0.5]]);
    const out = feed(new MonoWavSink({ limit: 3 }), loud, [5]);
    assert.deepEqual(Array.from(out), [1, -1, 0.25]);
  });

  it('refuses a stream that is not 32-bit float WAV', () => {
    const wav = floatWav([[0.1, 0.2]]);
    wav.writeUInt16LE(1, 20); // PCM instead of IEEE float
    assert.throws(() => new MonoWavSink().write(wav), WavFormatError);
    assert.throws(() => new MonoWavSink().write(Buffer.from('this is not a wav stream')), WavFormatError);
  });
});
