// How ffmpeg's stderr becomes a reason a person can read, and unsupported vs damaged, on lines
// captured from ffmpeg 4.1 (the bundled build), 5.1 (Debian 12) and 6+ (newer wording).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanFfmpegStderr, ffmpegProblem } from '../../src-main/audio/ffmpeg-stderr.ts';

const path = '/music/a b/t.mp3';

describe('reading ffmpeg stderr', () => {
  it('decoded cleanly when the status is 0 and no packet failed', () => {
    assert.equal(ffmpegProblem('', path, 0), undefined);
    assert.equal(ffmpegProblem('[mp3float @ 0x55d] Header missing\n', path, 0), undefined);
  });

  it('calls a file ffmpeg cannot open unsupported, with the line that says why', () => {
    const stderr = `[mp3 @ 0x55b490561940] Failed to read frame size: Could not seek to 1029.\n${path}: Invalid argument\n`;
    assert.deepEqual(ffmpegProblem(stderr, path, 1), { kind: 'unsupported-format', reason: 'Failed to read frame size: Could not seek to 1029. (Invalid argument)' });
    assert.deepEqual(ffmpegProblem(`${path}: Invalid data found when processing input\n`, path, 1), { kind: 'unsupported-format', reason: 'Invalid data found when processing input' });
  });

  it('calls a file without an audio stream unsupported', () => {
    const problem = ffmpegProblem("Stream map '0:a:0' matches no streams.\nTo ignore this, add a trailing '?' to the map.\n", path, 1);
    assert.deepEqual(problem, { kind: 'unsupported-format', reason: 'it holds no audio stream' });
  });

  it('calls per-packet decoding errors damaged audio even when ffmpeg exits 0, and counts them', () => {
    const v5 = [
      '[flac @ 0x5583213f0000] invalid residual',
      '[flac @ 0x5583213f0000] decode_frame() failed',
      'Error while decoding stream #0:0: Invalid data found when processing input',
      '    Last message repeated 1 times',
      '[flac @ 0x5583213ee780] overread: 1',
      'Error while decoding stream #0:0: Invalid data found when processing input',
    ].join('\n');
    const problem = ffmpegProblem(v5, path, 0);
    assert.equal(problem?.kind, 'decode-failed');
    assert.match(problem!.reason, /^damaged audio data: invalid residual; /);
    assert.match(problem!.reason, /\(3 errors\)$/);
    const v6 = '[aist#0:0/flac @ 0x5612] Decoding error: Invalid data found when processing input\n';
    assert.equal(ffmpegProblem(v6, path, 0)?.kind, 'decode-failed');
  });

  it('strips the context prefix, the path and the noise lines from the reason', () => {
    assert.equal(cleanFfmpegStderr(`[mov,mp4 @ 0x7f]   moov atom   not found\n${path}: Invalid data\nConversion failed!\n`, path), 'Invalid data');
    assert.equal(cleanFfmpegStderr('', path), '');
  });
});
