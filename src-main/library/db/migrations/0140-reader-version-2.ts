// Migration 0140: reader 2 (track.ts READER_VERSION) reads more than reader 1 from a few kinds of
// file only:
// - FLAC in Ogg (its tags);
// - WMA (sample rate, channels, and multi-valued fields in their order);
// - raw AAC streams (duration and bitrate), and MP3s reader 1 found no duration for (variable
//   bitrate without a Xing header);
// - ID3v2.3/2.2 tags whose artist reader 1 split at a slash (AC/DC: those rows have more than one
//   artist);
// - tempos, whose fraction reader 1 dropped (any row with a tempo: which had one cannot be told);
// - files with both an ID3v2 and an APEv2 tag, where ID3v2 now wins (reader 1 showed APEv2's).
// Rows reader 1 wrote for every other file would read the same again, so they are marked as reader
// 2's here, and the first scan after the upgrade reads again only those instead of the whole
// library. Rows from before reader 1 (0) are read again as before.
import type { Migration } from './index.ts';

/** The rows reader 2 reads differently from reader 1. */
const READ_AGAIN_BY_READER_2 = [
  "(container = 'ogg' AND codec = 'FLAC')",
  "container = 'asf'",
  "(container = 'mp3' AND (format = 'aac' OR duration_s IS NULL))",
  "((tag_types LIKE '%\"ID3v2.3\"%' OR tag_types LIKE '%\"ID3v2.2\"%') AND json_array_length(artists) > 1)",
  'bpm IS NOT NULL',
  "(tag_types LIKE '%\"APEv2\"%' AND tag_types LIKE '%\"ID3v2.%')",
].join(' OR ');

export const migration0140: Migration = {
  version: 140,
  name: 'reader-version-2',
  up(db) {
    db.exec(`UPDATE tracks SET reader_version = 2 WHERE reader_version = 1 AND NOT (${READ_AGAIN_BY_READER_2})`);
  },
};
