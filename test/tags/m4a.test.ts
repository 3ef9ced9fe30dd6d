// m4a: the shared write checks, plus the audio staying reachable when the tag grows in front of
// it (moov before mdat: the chunk offset tables must follow).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyPlan } from '../../src-main/tags/apply.ts';
import { createTagWriter, type TagWriter } from '../../src-main/tags/writer.ts';
import { tempDir } from '../helpers/tmp.ts';
import { audioFacts, describeFormat, leftoverTempFiles } from './helpers/format-suite.ts';
import { mutagenRead, mutagenValues } from './helpers/readers.ts';
import { fileSha, openWriteContext } from './helpers/write-context.ts';

describeFormat('m4a');

function faststart(dir: string, name: string): string {
  const path = join(dir, `${name}.m4a`);
  const r = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', '-movflags', '+faststart', '-metadata', 'genre=Rock', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return path;
}

describe('m4a tags: moov in front of mdat', () => {
  it('keeps the audio reachable when a large tag pushes mdat further into the file', async (t) => {
    const dir = tempDir(t);
    const path = faststart(dir, 'song');
    const audio = audioFacts(path);
    const wctx = openWriteContext(dir);
    t.after(() => wctx.db.close());
    const big = ['x'.repeat(6000), 'y'.repeat(6000)];
    const r = await applyPlan(wctx, [{ path, set: { BETTI_TAGS: big }, remove: [] }], { kind: 'apply', source: 'plan', undoesBatch: null });
    assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
    assert.deepEqual(audioFacts(path), audio, 'ffmpeg decodes the same samples from the moved audio');
    assert.deepEqual(mutagenValues(mutagenRead([path])[path]!, 'm4a', 'BETTI_TAGS', '2.4'), big);
  });

  it('refuses a write whose chunk offsets no longer point at the audio, though the audio bytes are intact', async (t) => {
    const dir = tempDir(t);
    const path = faststart(dir, 'song');
    const sha = fileSha(path);
    const real = createTagWriter();
    const writer: TagWriter = {
      name: 'forgets an offset',
      async write(req) {
        await real.write(req);
        const buf = readFileSync(req.path);
        const stco = buf.indexOf('stco', 0, 'latin1');
        buf.writeUInt32BE(buf.readUInt32BE(stco + 12) + 7, stco + 12); // first chunk offset
        writeFileSync(req.path, buf);
      },
    };
    const wctx = openWriteContext(dir, { writer });
    t.after(() => wctx.db.close());
    const r = await applyPlan(wctx, [{ path, set: { MOOD: ['calm'] }, remove: [] }], { kind: 'apply', source: 'plan', undoesBatch: null });
    assert.equal(r.results[0]!.status, 'failed');
    assert.equal(r.results[0]!.error?.where, 'stco');
    assert.match(r.results[0]!.error!.message, /chunk offset/);
    assert.equal(fileSha(path), sha);
    assert.deepEqual(leftoverTempFiles(dir), []);
  });
});
