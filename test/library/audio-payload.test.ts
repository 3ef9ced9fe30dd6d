import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { hashAudioPayload, locateAudioPayload, MalformedPayloadError, SAMPLE_CHUNK, type ContainerFormat } from '../../src-main/library/audio-payload.ts';
import { audioPacketBytes, ffmpeg } from '../helpers/ffmpeg-fixtures.ts';
import { copy, encode, ffmpegTags, fixtureFormats, mutagenWrite, richTags } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Case {
  name: string;
  fmt: keyof typeof fixtureFormats;
  container: ContainerFormat;
  extra?: string[];
  /** Tag format mutagen writes (default: the file's own). */
  mutagenTagFormat?: 'id3v2.3' | 'ape';
  /** ffmpeg output options for the retag copy (muxer, tag switches). */
  remux?: string[];
  /** mutagen cannot write this container (RF64); only ffmpeg retags it. */
  ffmpegOnly?: boolean;
}

const cases: Case[] = [
  { name: 'mp3 with ID3v2.4', fmt: 'mp3', container: 'mp3' },
  { name: 'mp3 with ID3v2.3 and ID3v1', fmt: 'mp3', container: 'mp3', extra: ['-id3v2_version', '3', '-write_id3v1', '1'], mutagenTagFormat: 'id3v2.3' },
  { name: 'mp3 with an APEv2 tag', fmt: 'mp3', container: 'mp3', mutagenTagFormat: 'ape' },
  { name: 'flac', fmt: 'flac', container: 'flac' },
  { name: 'ogg vorbis', fmt: 'ogg', container: 'ogg' },
  { name: 'opus', fmt: 'opus', container: 'ogg' },
  { name: 'flac in ogg', fmt: 'oga', container: 'ogg', remux: ['-f', 'ogg'] },
  { name: 'm4a (aac)', fmt: 'm4a', container: 'mp4' },
  { name: 'adts aac', fmt: 'aac', container: 'mp3', remux: ['-f', 'adts', '-write_id3v2', '1'] },
  { name: 'wav', fmt: 'wav', container: 'wav' },
  { name: 'wav as RF64', fmt: 'wav', container: 'wav', extra: ['-rf64', 'always'], ffmpegOnly: true },
  { name: 'aiff', fmt: 'aiff', container: 'aiff' },
  { name: 'wma', fmt: 'wma', container: 'asf' },
  { name: 'wavpack', fmt: 'wv', container: 'wavpack' },
];

/** Flips one byte of `path` in place. */
function flipByte(path: string, at: number): void {
  const b = readFileSync(path);
  b[at] = b[at]! ^ 0x5a;
  writeFileSync(path, b);
}

describe('the audio payload', () => {
  const dir = tempDir({ after }, 'betti-payload-');
  const made = new Map<string, { base: string; mutagen: string | undefined; ffmpeg: string }>();
  before(() => {
    cases.forEach((c, i) => {
      const fmt = fixtureFormats[c.fmt]!;
      const base = encode(dir, `base${i}`, fmt, { seconds: 1, metadata: ffmpegTags, extra: c.extra ?? [] });
      const mutagen = c.ffmpegOnly ? undefined : copy(base, join(dir, `mutagen${i}.${fmt.ext}`));
      if (mutagen) mutagenWrite(mutagen, { ...richTags, ...(c.mutagenTagFormat ? { tagFormat: c.mutagenTagFormat } : {}) });
      const retagged = join(dir, `ffmpeg${i}.${fmt.ext}`);
      ffmpeg(['-i', base, '-map', '0', '-c', 'copy', '-metadata', 'title=A much longer title that makes every header grow', '-metadata', `comment=${'x'.repeat(3000)}`, ...(c.extra ?? []), ...(c.remux ?? []), retagged]);
      made.set(c.name, { base, mutagen, ffmpeg: retagged });
    });
  });

  for (const c of cases) {
    it(`${c.name}: keeps both hashes when ${c.ffmpegOnly ? 'ffmpeg rewrites' : 'mutagen or ffmpeg rewrite'} the tags`, async () => {
      const f = made.get(c.name)!;
      const payload = await locateAudioPayload(f.base);
      assert.equal(payload.container, c.container);
      assert.ok(payload.length > 0);
      assert.equal(payload.length, payload.segments.reduce((n, s) => n + s.length, 0));
      const sampled = await hashAudioPayload(f.base, 'sampled', payload);
      const full = await hashAudioPayload(f.base, 'full', payload);
      assert.match(sampled, /^[0-9a-f]{64}$/);
      assert.notEqual(sampled, full);
      for (const retagged of f.mutagen ? [f.mutagen, f.ffmpeg] : [f.ffmpeg]) {
        assert.notDeepEqual(readFileSync(retagged), readFileSync(f.base), `${retagged} should differ from the original`);
        assert.equal(await hashAudioPayload(retagged, 'sampled'), sampled, `sampled hash of ${retagged}`);
        assert.equal(await hashAudioPayload(retagged, 'full'), full, `full hash of ${retagged}`);
      }
    });

    it(`${c.name}: changing one audio byte changes the full and the sampled hash`, async () => {
      const f = made.get(c.name)!;
      const payload = await locateAudioPayload(f.base);
      const damaged = copy(f.base, `${f.base}.damaged`);
      flipByte(damaged, payload.segments[0]!.offset + 5);
      assert.notEqual(await hashAudioPayload(damaged, 'full', payload), await hashAudioPayload(f.base, 'full', payload));
      assert.notEqual(await hashAudioPayload(damaged, 'sampled', payload), await hashAudioPayload(f.base, 'sampled', payload));
    });
  }

  it('samples only the start, middle and end of a long payload (the full hash sees every byte)', async () => {
    const f = made.get('wav')!;
    const payload = await locateAudioPayload(f.base);
    assert.ok(payload.length > 4 * SAMPLE_CHUNK, 'the 1 s WAV payload is longer than the sampled chunks');
    const damaged = copy(f.base, join(dir, 'between-chunks.wav'));
    // A byte between the first and the middle chunk.
    flipByte(damaged, payload.segments[0]!.offset + SAMPLE_CHUNK + 100);
    assert.equal(await hashAudioPayload(damaged, 'sampled'), await hashAudioPayload(f.base, 'sampled'));
    assert.notEqual(await hashAudioPayload(damaged, 'full'), await hashAudioPayload(f.base, 'full'));
  });

  // The Ogg walk reads the file in windows of a few hundred kilobytes; a three-minute file spans
  // many of them, and a page header often straddles two.
  for (const codec of [
    { name: 'vorbis', ext: 'ogg', args: ['-c:a', 'libvorbis', '-q:a', '5'] },
    { name: 'opus', ext: 'opus', args: ['-ar', '48000', '-c:a', 'libopus', '-b:a', '128k'] },
  ]) {
    it(`${codec.name}: a file many read windows long is walked page by page: the payload is every audio packet, and a retag that moves every page keeps both hashes`, async () => {
      const base = join(dir, `long.${codec.ext}`);
      ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=60:a=0.3:r=48000:seed=7', '-ac', '2', ...codec.args, base]);
      assert.ok(readFileSync(base).length > 2 * 256 * 1024, 'longer than two read windows');
      const payload = await locateAudioPayload(base);
      // ffprobe's audio packets, independently: their bytes are the page bodies after the headers.
      assert.equal(payload.length, audioPacketBytes(base));
      // The full hash is sha256 of exactly those bytes, in order (hundreds of segments, read in steps).
      const bytes = readFileSync(base);
      const plain = createHash('sha256');
      for (const s of payload.segments) plain.update(bytes.subarray(s.offset, s.offset + s.length));
      assert.equal(await hashAudioPayload(base, 'full'), plain.digest('hex'));
      const retagged = join(dir, `long-retagged.${codec.ext}`);
      ffmpeg(['-i', base, '-map', '0', '-c', 'copy', '-metadata', `comment=${'y'.repeat(60_000)}`, retagged]);
      const moved = await locateAudioPayload(retagged);
      assert.notEqual(moved.segments[0]!.offset, payload.segments[0]!.offset, 'the larger comment moves every audio page');
      assert.equal(moved.length, payload.length);
      assert.equal(await hashAudioPayload(retagged, 'sampled'), await hashAudioPayload(base, 'sampled'));
      assert.equal(await hashAudioPayload(retagged, 'full'), await hashAudioPayload(base, 'full'));
      // Cut in its third window: the walk says where the last page breaks off.
      const cut = join(dir, `long-cut.${codec.ext}`);
      writeFileSync(cut, readFileSync(base).subarray(0, 600_000));
      await assert.rejects(
        locateAudioPayload(cut),
        (err: unknown) => err instanceof MalformedPayloadError && err.where > 512 * 1024 && err.where < 600_000 && /truncated/.test(err.message),
      );
    });
  }

  it('hashes a payload of several megabytes in full exactly as sha256 of its bytes (steps that reuse one read buffer)', async () => {
    const path = join(dir, 'long.flac');
    ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=40:a=0.3:r=44100:seed=3', '-ac', '2', '-c:a', 'flac', path]);
    const payload = await locateAudioPayload(path);
    assert.ok(payload.length > 3 * 1024 * 1024, 'several one-megabyte steps');
    const bytes = readFileSync(path);
    const plain = createHash('sha256');
    for (const s of payload.segments) plain.update(bytes.subarray(s.offset, s.offset + s.length));
    assert.equal(await hashAudioPayload(path, 'full'), plain.digest('hex'));
  });

  it('skips the tags around an MP3 stream: the payload starts on a frame and ends before ID3v1', async () => {
    const f = made.get('mp3 with ID3v2.3 and ID3v1')!;
    const bytes = readFileSync(f.base);
    const payload = await locateAudioPayload(f.base);
    const s = payload.segments[0]!;
    assert.equal(bytes[s.offset], 0xff);
    assert.equal(bytes.toString('latin1', s.offset + s.length, s.offset + s.length + 3), 'TAG');
    assert.equal(s.offset + s.length + 128, bytes.length);
  });

  it('refuses a file that is not audio with unsupported-format naming the file', async () => {
    const path = join(dir, 'notes.mp3');
    writeFileSync(path, 'these are not the droids\n');
    await assert.rejects(locateAudioPayload(path), (err: unknown) => err instanceof BettiError && err.kind === 'unsupported-format' && err.path === path && err.message.includes(path));
    await assert.rejects(hashAudioPayload(path, 'full'), (err: unknown) => err instanceof BettiError && err.kind === 'unsupported-format');
  });

  // A FLAC cut inside its frames is not detectable from the container (frames carry no total size).
  it('says where a truncated container breaks', async () => {
    for (const name of ['mp3 with ID3v2.4', 'm4a (aac)', 'ogg vorbis', 'wav', 'aiff', 'wma']) {
      const f = made.get(name)!;
      const bytes = readFileSync(f.base);
      const cut = join(dir, `cut-${name.replace(/\W+/g, '-')}`);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      await assert.rejects(
        locateAudioPayload(cut),
        (err: unknown) => err instanceof MalformedPayloadError && err.kind === 'unsupported-format' && err.path === cut && Number.isInteger(err.where) && /truncated|past the end/.test(err.message),
        name,
      );
    }
  });

  it('says how much of a FLAC file’s metadata is missing, and where its last block starts', async () => {
    const flac = encode(dir, 'padded', fixtureFormats.flac!); // ffmpeg leaves 8 kB of padding, the last block
    const bytes = readFileSync(flac);
    const cut = join(dir, 'cut-in-padding.flac');
    writeFileSync(cut, bytes.subarray(0, 5000));
    await assert.rejects(locateAudioPayload(cut), (err: unknown) => {
      assert.ok(err instanceof MalformedPayloadError);
      const m = /the last FLAC metadata block needs (\d+) more bytes than the file has \(truncated file\?\)/.exec(err.message);
      assert.ok(m, err.message);
      assert.equal(err.where + 4 + bytes.readUIntBE(err.where + 1, 3), 5000 + Number(m[1]), 'the block, where it starts, and what it lacks add up');
      assert.ok((bytes[err.where]! & 0x80) !== 0, 'the block named is the last one');
      return true;
    });
  });

  it('reports a missing file as an io error naming it', async () => {
    const path = join(dir, 'gone.flac');
    await assert.rejects(locateAudioPayload(path), (err: unknown) => err instanceof BettiError && err.kind === 'io' && err.path === path && /does not exist/.test(err.message));
  });
});
