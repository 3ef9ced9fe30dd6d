// Undo (issue 6 §4): write → undo restores every field as mutagen reads it, in every format;
// write → external edit → undo refuses that file; undo of an undo is a redo; the journal survives
// a restart; undoing several batches walks back through them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tagFormats } from '../../src-main/tags/fields.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile, openService } from './helpers/fixtures.ts';
import { audioFacts, leftoverTempFiles } from './helpers/format-suite.ts';
import { mutagenRead, mutagenValues } from './helpers/readers.ts';

const PLAN = { GENRE: ['Ambient', 'Jazz'], MOOD: ['calm'], BETTI_TAGS: ['piano', 'slow'] };

/** Changes the title with mutagen: another program editing the file. */
function editTitleElsewhere(path: string): void {
  const r = spawnSync('/usr/bin/python3', ['-c', "import sys, mutagen\nf = mutagen.File(sys.argv[1], easy=True)\nf['title'] = ['Edited elsewhere']\nf.save()", path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

describe('undo', () => {
  for (const format of tagFormats) {
    it(`restores every field of a ${format} file as mutagen reads it, audio unchanged`, async (t) => {
      const dir = tempDir(t);
      const path = makeAudioFile(dir, 'song', format, { title: 'Song', genre: 'Rock' });
      const original = mutagenRead([path])[path]!;
      const audio = audioFacts(path);
      const svc = openService(join(dir, 'lib.db'));
      t.after(() => svc.close());
      const w = await svc.client['write.apply']({ plan: { files: [{ path, set: PLAN }] } });
      assert.equal(w.results[0]!.status, 'ok', JSON.stringify(w.results[0]!.error));
      assert.notDeepEqual(mutagenRead([path])[path]!.tags, original.tags);
      const u = await svc.client['write.undo']({ batchId: w.batchId! });
      assert.deepEqual(u.undone, [w.batchId]);
      assert.equal(u.batches[0]!.results[0]!.status, 'ok', JSON.stringify(u.batches[0]!.results[0]!.error));
      const restored = mutagenRead([path])[path]!;
      assert.deepEqual(restored.tags, original.tags, 'every tag reads as before the write');
      assert.deepEqual(restored.id3, original.id3);
      assert.deepEqual(audioFacts(path), audio);
      assert.deepEqual(leftoverTempFiles(dir), []);
    });
  }

  it('refuses a file edited by another program since Betti wrote it, and restores the others', async (t) => {
    const dir = tempDir(t);
    const edited = makeAudioFile(dir, 'edited', 'flac', { title: 'Song', genre: 'Rock' });
    const untouched = makeAudioFile(dir, 'untouched', 'mp3', { title: 'Song', genre: 'Rock' });
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    const w = await svc.client['write.apply']({ plan: { files: [edited, untouched].map((path) => ({ path, set: PLAN })) } });
    assert.equal(w.summary.ok, 2);
    editTitleElsewhere(edited);
    const u = await svc.client['write.undo']({});
    const [e, ok] = u.batches[0]!.results;
    assert.equal(e!.status, 'failed');
    assert.equal(e!.error?.kind, 'file-changed');
    assert.match(e!.error!.message, /changed since Betti wrote it/);
    assert.ok(e!.error?.hint);
    assert.equal(ok!.status, 'ok');
    const m = mutagenRead([edited, untouched]);
    assert.deepEqual(m[edited]!.tags.TITLE, ['Edited elsewhere'], 'the other program’s edit is kept');
    assert.deepEqual(mutagenValues(m[edited]!, 'flac', 'GENRE', '2.4'), ['Rock', 'Ambient', 'Jazz'], 'and so are Betti’s values there');
    assert.deepEqual(mutagenValues(m[untouched]!, 'mp3', 'GENRE', '2.4'), ['Rock']);
    assert.deepEqual(mutagenValues(m[untouched]!, 'mp3', 'BETTI_TAGS', '2.4'), []);
  });

  it('undoing an undo is a redo, and the next plain undo takes it back again', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'song', 'ogg', { genre: 'Rock' });
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    const genre = () => mutagenValues(mutagenRead([path])[path]!, 'ogg', 'GENRE', '2.4');
    const w = await svc.client['write.apply']({ plan: { files: [{ path, set: { GENRE: ['Ambient'] } }] } });
    assert.deepEqual(genre(), ['Rock', 'Ambient']);
    const undo = await svc.client['write.undo']({});
    assert.deepEqual(genre(), ['Rock']);
    const redo = await svc.client['write.undo']({ batchId: undo.batches[0]!.batchId! });
    assert.deepEqual(genre(), ['Rock', 'Ambient']);
    const again = await svc.client['write.undo']({});
    assert.deepEqual(again.undone, [redo.batches[0]!.batchId], 'the redo is the newest batch on the undo stack');
    assert.deepEqual(genre(), ['Rock']);
    const h = await svc.client['write.history']({});
    assert.deepEqual(
      h.batches.map((b) => [b.kind, b.undoes]),
      [
        ['undo', redo.batches[0]!.batchId],
        ['redo', undo.batches[0]!.batchId],
        ['undo', w.batchId],
        ['apply', null],
      ],
    );
  });

  it('the journal survives a restart: a new process lists the batch and undoes it', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'song', 'm4a', { genre: 'Rock' });
    const db = join(dir, 'lib.db');
    const first = openService(db);
    const w = await first.client['write.apply']({ plan: { files: [{ path, set: { MOOD: ['calm'] } }] } });
    first.close();
    const second = openService(db);
    t.after(() => second.close());
    const h = await second.client['write.history']({});
    assert.equal(h.batches[0]!.id, w.batchId);
    const detail = await second.client['write.batch']({ id: w.batchId! });
    assert.deepEqual(detail.entries[0]!.changes, [{ field: 'MOOD', before: [], after: ['calm'] }]);
    const u = await second.client['write.undo']({ batchId: w.batchId! });
    assert.equal(u.batches[0]!.summary.ok, 1);
    assert.deepEqual(mutagenValues(mutagenRead([path])[path]!, 'm4a', 'MOOD', '2.4'), []);
  });

  it('undoing the last two batches walks back through both, newest first; a file already restored is left alone', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'song', 'wav', { genre: 'Rock' });
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    const genre = () => mutagenValues(mutagenRead([path])[path]!, 'wav', 'GENRE', '2.4');
    const a = await svc.client['write.apply']({ plan: { files: [{ path, set: { GENRE: ['Ambient'] } }] } });
    const b = await svc.client['write.apply']({ plan: { files: [{ path, set: { GENRE: ['Jazz'] } }] } });
    assert.deepEqual(genre(), ['Rock', 'Ambient', 'Jazz']);
    const u = await svc.client['write.undo']({ last: 2 });
    assert.deepEqual(u.undone, [b.batchId, a.batchId]);
    assert.deepEqual(
      u.batches.map((x) => x.results[0]!.status),
      ['ok', 'ok'],
    );
    assert.deepEqual(genre(), ['Rock']);
    const again = await svc.client['write.undo']({ batchId: a.batchId! });
    assert.equal(again.batches[0]!.results[0]!.status, 'unchanged', 'already holds the old values');
    await assert.rejects(svc.client['write.undo']({}), (err: Error & { kind?: string }) => err.kind === 'not-found' && /Nothing to undo/.test(err.message));
  });
});
