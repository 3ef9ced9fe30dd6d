import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0140 (reader version 2)', () => {
  it('marks reader 1’s rows as reader 2’s except FLAC in Ogg, WMA, raw AAC, MP3s without a duration, ID3v2.3 tags with several artists, tempos and ID3v2 beside APEv2, and leaves older rows as they are', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 130 });
    const rows: [string, string, string | null, string | null, number, string?, string[]?, number?][] = [
      ['/m/a.mp3', 'mp3', 'mp3', 'MPEG 1 Layer 3', 1],
      ['/m/b.flac', 'flac', 'flac', 'FLAC', 1],
      ['/m/c.ogg', 'ogg', 'vorbis', 'Vorbis I', 1],
      ['/m/d.opus', 'ogg', 'opus', 'Opus', 1],
      ['/m/e.m4a', 'mp4', 'aac', 'MPEG-4/AAC', 1],
      ['/m/f.oga', 'ogg', 'flac', 'FLAC', 1], // FLAC in Ogg: its tags
      ['/m/g.wma', 'asf', 'wma', 'Windows Media Audio V8', 1], // sample rate and channels
      ['/m/h.aac', 'mp3', 'aac', 'AAC', 1], // raw ADTS: duration
      ['/m/vbr.mp3', 'mp3', 'mp3', 'MPEG 1 Layer 3', 1], // variable bitrate, no Xing header: duration
      ['/m/i.mp3', 'mp3', 'mp3', 'MPEG 1 Layer 3', 0], // from before reader 1
      ['/m/acdc.mp3', 'mp3', 'mp3', 'MPEG 1 Layer 3', 1, 'ID3v2.3', ['AC', 'DC']], // split at the slash
      ['/m/one.mp3', 'mp3', 'mp3', 'MPEG 1 Layer 3', 1, 'ID3v2.3', ['AC/DC']],
      ['/m/v24.mp3', 'mp3', 'mp3', 'MPEG 1 Layer 3', 1, 'ID3v2.4', ['First', 'Second']], // null-separated: read as before
      ['/m/tempo.flac', 'flac', 'flac', 'FLAC', 1, 'Vorbis', [], 99], // a tempo, maybe 99.5 once
      ['/m/both.mp3', 'mp3', 'mp3', 'MPEG 1 Layer 3', 1, 'ID3v2.4,APEv2'], // APEv2 won before
      ['/m/ape.wv', 'wavpack', 'wavpack', 'WavPack', 1, 'APEv2'], // APEv2 alone: as before
    ];
    for (const [path, container, format, codec, version, tagType, artists = [], bpm = null] of rows) {
      // Reader 1 found a duration for every file but raw AAC and the VBR MP3 without a Xing header.
      const duration = path.endsWith('.aac') || path.includes('vbr') ? null : 180;
      db.run(
        'INSERT INTO tracks (path, size, mtime_ms, container, format, codec, duration_s, tag_types, artists, bpm, added_at, scanned_at, reader_version) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?)',
        path, container, format, codec, duration, JSON.stringify(tagType ? tagType.split(',') : []), JSON.stringify(artists), bpm, version,
      );
    }
    migrate(db, 140);
    assert.equal(db.userVersion, 140);
    const versions = Object.fromEntries(db.all<{ path: string; reader_version: number }>('SELECT path, reader_version FROM tracks').map((r) => [r.path, r.reader_version]));
    assert.deepEqual(versions, {
      '/m/a.mp3': 2,
      '/m/b.flac': 2,
      '/m/c.ogg': 2,
      '/m/d.opus': 2,
      '/m/e.m4a': 2,
      '/m/f.oga': 1,
      '/m/g.wma': 1,
      '/m/h.aac': 1,
      '/m/vbr.mp3': 1,
      '/m/acdc.mp3': 1,
      '/m/one.mp3': 2,
      '/m/v24.mp3': 2,
      '/m/tempo.flac': 1,
      '/m/both.mp3': 1,
      '/m/ape.wv': 2,
      '/m/i.mp3': 0,
    });
  });
});
