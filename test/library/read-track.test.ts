import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('readTrackFile', () => {
  const dir = tempDir({ after }, 'betti-read-track-');

  it('reads through the thread pool unless asked to block: a file whose read stalls does not hold up the calling thread', async () => {
    // A FIFO stands in for a file on a share that is slow to answer: opening it waits for a
    // writer, which comes (from another process) 300 ms later.
    const stalled = join(dir, 'on a share.mp3');
    assert.equal(spawnSync('mkfifo', [stalled]).status, 0, 'mkfifo');
    const writer = spawn('sh', ['-c', 'sleep 0.3; printf "these bytes are no audio container, but they do arrive" > "$0"', stalled]);
    const written = new Promise((resolve) => writer.on('exit', resolve));
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const record = await readTrackFile(stalled, { stat: { size: 64, mtimeMs: 1 } });
    clearInterval(timer);
    assert.equal(await written, 0, 'the writer wrote');
    assert.ok(ticks >= 10, `the event loop ran while the read waited (${ticks} ticks of 5 ms)`);
    assert.equal(record.error?.kind, 'unsupported-format', 'and the read finished once the bytes came');
  });
});
