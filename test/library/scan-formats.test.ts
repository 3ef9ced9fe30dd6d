// A library of real files in every format the scan reads, tagged by ffmpeg and by mutagen, scanned
// into a database and checked field by field against what python3-mutagen reads from the same
// files (and, for the WAV/AIFF text chunks mutagen does not read, against ffprobe).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { getTrackByPath } from '../../src-main/library/db/queries/tracks.ts';
import { scanFolders, type ScanSummary } from '../../src-main/library/scan.ts';
import type { TrackRow } from '../../src-main/library/track.ts';
import { encode, ffmpegTags, fixtureFormats, mutagenRead, mutagenWrite, richTags, type MutagenFields } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

/** What ffprobe reads from a file's tags, in the mutagen helper's field names. */
function ffprobeFields(path: string): MutagenFields {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', path], { encoding: 'utf8' });
  const tags = (JSON.parse(r.stdout) as { format?: { tags?: Record<string, string> } }).format?.tags ?? {};
  const out: MutagenFields = {};
  const num = (s: string | undefined) => (s ? /^(\d+)(?:\/(\d+))?/.exec(s) : null);
  if (tags.title) out.title = tags.title;
  if (tags.artist) out.artists = [tags.artist];
  if (tags.album) out.album = tags.album;
  if (tags.album_artist) out.albumartist = tags.album_artist;
  if (tags.genre) out.genres = [tags.genre];
  if (tags.comment) out.comment = tags.comment;
  if (tags.date) out.year = Number(tags.date.slice(0, 4));
  const t = num(tags.track);
  if (t) [out.track, out.trackTotal] = [Number(t[1]), t[2] ? Number(t[2]) : undefined];
  const d = num(tags.disc);
  if (d) [out.disc, out.discTotal] = [Number(d[1]), d[2] ? Number(d[2]) : undefined];
  return out;
}

function betti(row: TrackRow): MutagenFields {
  const t = row.tags;
  const a = row.audio;
  const f: MutagenFields = {};
  const put = <K extends keyof MutagenFields>(k: K, v: MutagenFields[K] | null) => {
    if (v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0) && v !== false) f[k] = v;
  };
  put('title', t.title);
  put('artists', t.artists);
  put('album', t.album);
  put('albumartist', t.albumArtist);
  put('track', t.trackNo);
  put('trackTotal', t.trackTotal);
  put('disc', t.discNo);
  put('discTotal', t.discTotal);
  put('year', t.year);
  put('genres', t.genres);
  put('mood', t.mood);
  put('bpm', t.bpm);
  put('comment', t.comment);
  put('picture', a.hasPicture);
  put('duration', a.durationS);
  put('sampleRate', a.sampleRate);
  put('channels', a.channels);
  put('bitrate', a.bitrate);
  return f;
}

const TAG_FIELDS = ['title', 'artists', 'album', 'albumartist', 'track', 'trackTotal', 'disc', 'discTotal', 'year', 'genres', 'mood', 'bpm', 'comment', 'picture'] as const;

describe('scanning every format (checked against mutagen)', () => {
  const dir = tempDir({ after }, 'betti-formats-');
  const lib = join(dir, 'music');
  const files: { key: string; path: string; tagger: 'ffmpeg' | 'mutagen' }[] = [];
  let summary: ScanSummary;
  let rows: Map<string, TrackRow>;
  let reference: Record<string, MutagenFields>;

  before(async () => {
    spawnSync('mkdir', ['-p', lib]);
    for (const [key, fmt] of Object.entries(fixtureFormats)) {
      files.push({ key, tagger: 'ffmpeg', path: encode(lib, `ffmpeg-${key}`, fmt, { metadata: ffmpegTags }) });
      const m = encode(lib, `mutagen-${key}`, fmt);
      mutagenWrite(m, richTags);
      files.push({ key, tagger: 'mutagen', path: m });
    }
    // ID3v2.3 with an ID3v1 tag (ffmpeg), and ID3v2.3 written by mutagen.
    files.push({ key: 'mp3', tagger: 'ffmpeg', path: encode(lib, 'ffmpeg-mp3-v23', fixtureFormats.mp3!, { metadata: ffmpegTags, extra: ['-id3v2_version', '3', '-write_id3v1', '1'] }) });
    const v23 = encode(lib, 'mutagen-mp3-v23', fixtureFormats.mp3!);
    // Two artists: mutagen joins them with '/' in ID3v2.3, and reads them back as one value.
    mutagenWrite(v23, { ...richTags, tagFormat: 'id3v2.3' });
    files.push({ key: 'mp3', tagger: 'mutagen', path: v23 });
    // A Vorbis comment YEAR (not the standard DATE), as some taggers write it.
    for (const key of ['flac', 'ogg'] as const) files.push({ key, tagger: 'ffmpeg', path: encode(lib, `ffmpeg-${key}-year`, fixtureFormats[key]!, { metadata: { title: 'Old Tagger', YEAR: '1997' } }) });

    const db = openLibraryDb(join(dir, 'library.db'));
    summary = await scanFolders(db, [lib], { workers: 0 });
    rows = new Map(files.map((f) => [f.path, getTrackByPath(db, f.path)!]));
    db.close();
    reference = mutagenRead(files.map((f) => f.path));
    for (const f of files) {
      // mutagen does not read RIFF INFO (WAV) or AIFF text chunks; ffprobe does.
      if (f.tagger === 'ffmpeg' && (f.key === 'wav' || f.key === 'aiff')) reference[f.path] = { ...ffprobeFields(f.path), ...reference[f.path] };
    }
  });

  it('reads every file without an error', () => {
    assert.equal(summary.scanned, files.length);
    assert.equal(summary.new, files.length);
    assert.equal(summary.errors, 0, JSON.stringify(summary.errorFiles));
    for (const f of files) {
      const row = rows.get(f.path);
      assert.ok(row, f.path);
      assert.equal(row.error, null, f.path);
      assert.match(row.fingerprint ?? '', /^[0-9a-f]{64}$/, f.path);
      assert.equal(row.audio.format, fixtureFormats[f.key]!.format, f.path);
    }
  });

  it('stores the same tags mutagen reads, field by field', () => {
    const mismatches: string[] = [];
    for (const f of files) {
      const mine = betti(rows.get(f.path)!);
      const ref = reference[f.path]!;
      assert.equal(ref.error, undefined, `mutagen failed on ${f.path}: ${ref.error}`);
      for (const field of TAG_FIELDS) {
        const a: unknown = mine[field];
        let b: unknown = ref[field];
        // ffmpeg writes a WMA's artist in both of ASF's description objects; mutagen lists it twice.
        if (f.key === 'wma' && Array.isArray(b)) b = [...new Set(b)];
        if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push(`${f.path.split('/').pop()} ${field}: betti ${JSON.stringify(a)} ≠ reference ${JSON.stringify(b)}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('reads a Vorbis comment YEAR where there is no DATE', () => {
    for (const name of ['ffmpeg-flac-year.flac', 'ffmpeg-ogg-year.ogg']) assert.equal(rows.get(join(lib, name))!.tags.year, 1997, name);
  });

  it('stores the stream facts mutagen reads (duration, sample rate, channels, bitrate)', () => {
    const mismatches: string[] = [];
    for (const f of files) {
      const mine = betti(rows.get(f.path)!);
      const ref = reference[f.path]!;
      const name = f.path.split('/').pop();
      if (Math.abs((mine.duration ?? -1) - (ref.duration ?? -2)) > 0.06) mismatches.push(`${name} duration ${mine.duration} vs ${ref.duration}`);
      // mutagen gives no sample rate for Opus (it always decodes at 48 kHz) and no bitrate for some formats.
      if (ref.sampleRate !== undefined && mine.sampleRate !== ref.sampleRate) mismatches.push(`${name} sampleRate ${mine.sampleRate} vs ${ref.sampleRate}`);
      if (mine.channels !== ref.channels) mismatches.push(`${name} channels ${mine.channels} vs ${ref.channels}`);
      if (ref.bitrate !== undefined && Math.abs((mine.bitrate ?? 0) / ref.bitrate - 1) > 0.05) mismatches.push(`${name} bitrate ${mine.bitrate} vs ${ref.bitrate}`);
    }
    assert.deepEqual(mismatches, []);
  });

  it('names the tag formats present in each file', () => {
    const types = (name: string) => rows.get(join(lib, name))!.audio.tagTypes;
    assert.deepEqual(types('ffmpeg-mp3.mp3'), ['ID3v2.4']);
    assert.deepEqual(types('ffmpeg-mp3-v23.mp3').sort(), ['ID3v1', 'ID3v2.3']);
    assert.deepEqual(types('mutagen-mp3-v23.mp3'), ['ID3v2.3']);
    assert.deepEqual(types('mutagen-flac.flac'), ['Vorbis']);
    assert.deepEqual(types('mutagen-opus.opus'), ['Vorbis']);
    assert.deepEqual(types('mutagen-oga.oga'), ['Vorbis'], 'FLAC in Ogg');
    assert.deepEqual(types('mutagen-m4a.m4a'), ['MP4']);
    assert.deepEqual(types('ffmpeg-wav.wav'), ['RIFF INFO']);
    assert.deepEqual(types('mutagen-wav.wav'), ['ID3v2.4']);
    assert.deepEqual(types('mutagen-wma.wma'), ['ASF']);
    assert.deepEqual(types('mutagen-wv.wv'), ['APEv2']);
  });

  it('stores codec, container and the lossless flag', () => {
    const row = (name: string) => rows.get(join(lib, name))!;
    assert.equal(row('mutagen-flac.flac').audio.lossless, true);
    assert.equal(row('mutagen-wv.wv').audio.lossless, true);
    assert.equal(row('mutagen-wav.wav').audio.lossless, true);
    assert.equal(row('mutagen-mp3.mp3').audio.lossless, false);
    assert.equal(row('mutagen-m4a.m4a').audio.lossless, false);
    // music-metadata's Ogg and ASF parsers leave it unset; the codec says it.
    assert.equal(row('mutagen-ogg.ogg').audio.lossless, false);
    assert.equal(row('mutagen-opus.opus').audio.lossless, false);
    assert.equal(row('mutagen-wma.wma').audio.lossless, false);
    assert.equal(row('ffmpeg-oga.oga').audio.lossless, true, 'FLAC in Ogg');
    assert.equal(row('mutagen-opus.opus').audio.codec, 'Opus');
    assert.equal(row('mutagen-ogg.ogg').audio.codec, 'Vorbis I');
    assert.equal(row('mutagen-mp3.mp3').container, 'mp3');
    assert.equal(row('mutagen-m4a.m4a').container, 'mp4');
    assert.equal(row('mutagen-wma.wma').container, 'asf');
    assert.equal(row('mutagen-aac.aac').audio.containerName, 'ADTS/MPEG-4');
  });

  it('keeps everything read in the raw tags, pictures as their size only', () => {
    const row = rows.get(join(lib, 'mutagen-mp3.mp3'))!;
    const frames = row.raw.native['ID3v2.4'] ?? [];
    assert.ok(frames.some((f) => f.id === 'TMOO' && f.value === 'Calm'));
    const apic = frames.find((f) => f.id === 'APIC')?.value as { data?: unknown } | undefined;
    assert.deepEqual(apic?.data, { binaryBytes: 70 });
    assert.equal(row.raw.common.title, richTags.title);
  });
});
