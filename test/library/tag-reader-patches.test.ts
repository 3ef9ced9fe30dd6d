// Betti reads tags with music-metadata as patched by patches/music-metadata+<version>.patch
// (applied by `npm ci` through patch-package). With the patch, an ID3v2 tag's padding ends its
// frame walk; parsers are loaded once; one tag mapper serves every parse; an MP4 track's sample
// tables are only decoded for chapters (its sample sizes are added up for the bitrate); a WMA
// file's sample rate and channels come from its stream properties, and its multi-valued fields keep
// their order; an ID3v2.3 artist keeps its slashes; a tempo keeps its fraction; an MP3's ID3v2
// tag outranks an APEv2 tag beside it. Its number decoder, token-types, is patched too
// (patches/token-types+<version>.patch): the view of the last array decoded is kept for the next
// value. These are the behaviours the patches must keep or give; if an upgrade drops a patch, they
// say so.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseFile } from 'music-metadata';
import { INT32_BE, UINT16_LE, UINT8 } from 'token-types';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { ffmpeg } from '../helpers/ffmpeg-fixtures.ts';
import { encode, fixtureFormats, mutagenRead, mutagenWrite } from '../helpers/library-fixtures.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the patched tag reader', () => {
  const dir = tempDir({ after }, 'betti-tag-reader-');
  const files: Record<string, string> = {};
  before(() => {
    for (const k of ['mp3', 'flac', 'm4a', 'ogg', 'opus'] as const) {
      const path = encode(dir, `piece-${k}`, fixtureFormats[k]!, { seconds: 0.3 });
      // mutagen leaves the usual kilobyte of padding after an ID3v2 tag.
      mutagenWrite(path, { title: `Title of ${k}`, artists: [`Artist of ${k}`], genres: [`Genre of ${k}`] });
      files[k] = path;
    }
  });

  it('is the version the patches were made for', () => {
    for (const pkg of ['music-metadata', 'token-types']) {
      const installed = (JSON.parse(readFileSync(join(repoRoot, `node_modules/${pkg}/package.json`), 'utf8')) as { version: string }).version;
      assert.ok(readFileSync(join(repoRoot, 'patches', `${pkg}+${installed}.patch`), 'utf8').length > 0, `patches/${pkg}+${installed}.patch`);
    }
  });

  it('decodes numbers right when the arrays it is handed change, views into one buffer included', () => {
    const buffer = new ArrayBuffer(16);
    const whole = new Uint8Array(buffer);
    whole.set([0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe, 7, 1, 2, 3, 4, 5, 6, 9]);
    const tail = whole.subarray(8); // the same buffer, another offset
    const other = Uint8Array.of(0x12, 0x34, 0x56, 0x78);
    // Alternate arrays so a kept view would be the wrong one if the patch compared anything but identity.
    assert.equal(INT32_BE.get(whole, 0), 256);
    assert.equal(UINT8.get(tail, 0), 7);
    assert.equal(INT32_BE.get(whole, 4), -2);
    assert.equal(INT32_BE.get(other, 0), 0x12345678);
    assert.equal(UINT16_LE.get(tail, 1), 0x0201);
    whole[8] = 42; // a view sees writes to its buffer
    assert.equal(UINT8.get(tail, 0), 42);
  });

  it('stops at the padding of an ID3v2 tag instead of reading it as empty frames', async () => {
    const id3 = readFileSync(files.mp3!);
    assert.equal(id3.subarray(0, 3).toString('latin1'), 'ID3');
    const meta = await parseFile(files.mp3!);
    assert.deepEqual(meta.quality.warnings, [], 'no "frame-header-ID: \\0\\0\\0\\0" per padding byte, no "Illegal ID3v2 tag length" at its end');
    assert.equal(meta.common.title, 'Title of mp3');
    assert.deepEqual((await readTrackFile(files.mp3!)).warnings, []);
  });

  it('gives an MP4 file the bitrate its sample sizes add up to, as when it decodes the sample tables for chapters', async () => {
    const chapters = join(dir, 'chapters.txt');
    writeFileSync(chapters, ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=3000\ntitle=Two\n');
    const path = join(dir, 'chaptered.m4a');
    // A changing tone, so the AAC frames differ in size; the index first, as music-metadata reads
    // chapter texts only from a media-data box that comes after it.
    ffmpeg(['-f', 'lavfi', '-i', 'aevalsrc=sin(2*PI*(200+300*t)*t)*0.5:s=44100:d=3', '-i', chapters, '-map', '0:a', '-map_chapters', '1', '-c:a', 'aac', '-b:a', '96k', '-movflags', '+faststart', path]);
    const plain = await parseFile(path);
    const withChapters = await parseFile(path, { includeChapters: true });
    assert.equal(withChapters.format.chapters?.[0]?.title, 'One', 'chapters are still read when asked for');
    assert.equal(plain.format.chapters, undefined);
    assert.ok(plain.format.bitrate! > 48_000 && plain.format.bitrate! < 144_000, `about the 96 kbit/s asked for: ${plain.format.bitrate}`);
    assert.equal(plain.format.bitrate, withChapters.format.bitrate);
    assert.equal(plain.format.duration, withChapters.format.duration);
    assert.deepEqual(plain.quality.warnings, []);
  });

  it('gives a WMA file the sample rate and channels of its audio stream properties, as mutagen reads them', async () => {
    for (const [rate, channels] of [[32000, 1], [44100, 2]] as const) {
      const path = join(dir, `stream-${rate}-${channels}.wma`);
      ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=0.5`, '-ac', String(channels), '-c:a', 'wmav2', '-b:a', '64k', path]);
      const meta = await parseFile(path);
      assert.equal(meta.format.container, 'ASF/audio');
      assert.equal(meta.format.sampleRate, rate);
      assert.equal(meta.format.numberOfChannels, channels);
      assert.equal(meta.format.bitsPerSample, 16);
      assert.deepEqual(meta.quality.warnings, []);
      const ref = mutagenRead([path])[path]!;
      assert.deepEqual([ref.sampleRate, ref.channels], [rate, channels], 'mutagen agrees');
    }
  });

  it('keeps the values of a multi-valued WMA field in the order they were written', async () => {
    const path = join(dir, 'two-artists.wma');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.5', '-c:a', 'wmav2', path]);
    // mutagen writes the first artist in the Content Description Object and the second in the
    // Metadata Library Object (in the Header Extension Object), which comes first in the file.
    mutagenWrite(path, { artists: ['First Artist', 'Second Artist'], genres: ['One', 'Two'] });
    const meta = await parseFile(path);
    assert.deepEqual(meta.common.artists, ['First Artist', 'Second Artist']);
    assert.deepEqual(meta.common.genre, ['One', 'Two']);
    assert.deepEqual((await readTrackFile(path)).tags.artists, mutagenRead([path])[path]!.artists);
  });

  it('keeps a slash in an ID3v2.3 artist (AC/DC), and splits the values a null separates', async () => {
    const path = join(dir, 'slash.mp3');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.3', '-c:a', 'libmp3lame', '-id3v2_version', '0', path]);
    const id3 = (frames: [string, string][]) => {
      // An ID3v2.3 tag of ISO-8859-1 text frames, before the audio.
      const body = Buffer.concat(frames.map(([id, text]) => {
        const data = Buffer.concat([Buffer.from([0]), Buffer.from(text, 'latin1')]);
        const header = Buffer.alloc(10);
        header.write(id, 0, 'latin1');
        header.writeUInt32BE(data.length, 4);
        return Buffer.concat([header, data]);
      }));
      const size = Buffer.from([(body.length >> 21) & 0x7f, (body.length >> 14) & 0x7f, (body.length >> 7) & 0x7f, body.length & 0x7f]);
      return Buffer.concat([Buffer.from('ID3\x03\x00\x00', 'latin1'), size, body]);
    };
    const audio = readFileSync(path);
    writeFileSync(path, Buffer.concat([id3([['TPE1', 'AC/DC'], ['TCOM', 'Young/Young/Johnson']]), audio]));
    const meta = await parseFile(path);
    assert.deepEqual(meta.common.artists, ['AC/DC']);
    assert.deepEqual(meta.common.composer, ['Young/Young/Johnson']);
    assert.deepEqual(mutagenRead([path])[path]!.artists, ['AC/DC'], 'mutagen reads it whole too');
    writeFileSync(path, Buffer.concat([id3([['TPE1', 'First\0Second']]), audio]));
    assert.deepEqual((await parseFile(path)).common.artists, ['First', 'Second']);
  });

  it('keeps the fraction of a tempo (a Vorbis BPM of 99.5), as mutagen reads it', async () => {
    const path = join(dir, 'tempo.flac');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.3', '-c:a', 'flac', '-metadata', 'BPM=99.5', path]);
    assert.equal((await parseFile(path)).common.bpm, 99.5);
    assert.equal((await readTrackFile(path)).tags.bpm, mutagenRead([path])[path]!.bpm);
    assert.equal((await parseFile(files.mp3!)).common.bpm, undefined, 'no tempo tag, no tempo');
  });

  it('shows an MP3’s ID3v2 values over those of an APEv2 tag beside it, as mutagen reads the file', async () => {
    const path = join(dir, 'two-tags.mp3');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.3', '-c:a', 'libmp3lame', '-id3v2_version', '0', path]);
    mutagenWrite(path, { title: 'ID3 title', genres: ['Ambient'] });
    mutagenWrite(path, { title: 'APE title', genres: ['Rock'], album: 'Only in APE', tagFormat: 'ape' });
    const meta = await parseFile(path);
    assert.deepEqual(meta.format.tagTypes.sort(), ['APEv2', 'ID3v2.4']);
    assert.equal(meta.common.title, 'ID3 title');
    assert.deepEqual(meta.common.genre, ['Ambient']);
    assert.equal(meta.common.album, 'Only in APE', 'a field only APEv2 has still shows');
    const ref = mutagenRead([path])[path]!;
    assert.deepEqual([ref.title, ref.genres], ['ID3 title', ['Ambient']]);
    const wavpack = encode(dir, 'only-ape', fixtureFormats.wv!, { seconds: 0.3 });
    mutagenWrite(wavpack, { title: 'APE is all there is' });
    assert.equal((await parseFile(wavpack)).common.title, 'APE is all there is');
  });

  it('maps each file’s own tags when parses of different formats run one after another and at once', async () => {
    const order = ['mp3', 'flac', 'mp3', 'm4a', 'ogg', 'opus', 'flac', 'm4a'];
    const one = [];
    for (const k of order) one.push(await parseFile(files[k]!));
    const together = await Promise.all(order.map((k) => parseFile(files[k]!)));
    for (const results of [one, together]) {
      results.forEach((meta, i) => {
        const k = order[i]!;
        assert.equal(meta.common.title, `Title of ${k}`, k);
        assert.deepEqual(meta.common.artists, [`Artist of ${k}`], k);
        assert.deepEqual(meta.common.genre, [`Genre of ${k}`], k);
      });
    }
  });
});
