// GROUPING, written where Picard keeps it (ID3 TIT1, Vorbis GROUPING, MP4 ©grp) so that an
// accepted personal suggestion learned from GROUPING goes back there (issue 10): read back by
// mutagen, audio unchanged, undone exactly; and a write of other fields leaves a grouping alone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Id3Version, TagFormat } from '../../src-main/tags/fields.ts';
import { fieldNameProblem } from '../../src-main/tags/fields.ts';
import { copyOf, makeAudioFile, openService, type TestService } from './helpers/fixtures.ts';
import { decodedMd5, mutagenRead } from './helpers/readers.ts';

/** Where mutagen shows the grouping of each tag system. */
const KEY: Record<string, string> = { id3v2: 'TIT1', vorbis: 'GROUPING', mp4: '\u00a9grp' };

const cases: { format: TagFormat; system: string; id3Version?: Id3Version; expect: string[] }[] = [
  { format: 'mp3', system: 'id3v2', expect: ['Sunday Morning', 'Late'] },
  // ID3v2.3 has no multi-valued text frames: one string joined by the separator.
  { format: 'mp3', system: 'id3v2', id3Version: '2.3', expect: ['Sunday Morning; Late'] },
  { format: 'flac', system: 'vorbis', expect: ['Sunday Morning', 'Late'] },
  { format: 'ogg', system: 'vorbis', expect: ['Sunday Morning', 'Late'] },
  { format: 'm4a', system: 'mp4', expect: ['Sunday Morning', 'Late'] },
];

describe('GROUPING tags', () => {
  let dir = '';
  let service: TestService;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'betti-grouping-'));
    service = openService(join(dir, 'library.db'));
  });
  after(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a field Betti writes (no longer refused as a standard field)', () => {
    assert.equal(fieldNameProblem('GROUPING'), undefined);
    assert.match(fieldNameProblem('COMPOSER')!, /standard field/);
  });

  for (const c of cases) {
    it(`${c.format}${c.id3Version ? ` (ID3v${c.id3Version})` : ''}: writes GROUPING to ${KEY[c.system]}, which mutagen reads back; undo removes it`, async () => {
      const master = makeAudioFile(dir, `master-${c.format}-${c.id3Version ?? ''}`, c.format, { title: 'Song', ...(c.id3Version ? { id3v2: 3 } : {}) });
      const path = copyOf(master, dir, `g-${c.format}-${c.id3Version ?? '24'}`);
      const audio = decodedMd5(path);
      await service.client['settings.set']({ write: { id3Version: c.id3Version ?? '2.4' } });
      const r = await service.client['write.apply']({ plan: { files: [{ path, set: { GROUPING: ['Sunday Morning', 'Late'] } }] } });
      assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
      const read = mutagenRead([path])[path]!;
      assert.deepEqual(read.tags[KEY[c.system]!], c.expect);
      assert.equal(decodedMd5(path), audio);
      const preview = await service.client['write.preview']({ plan: { files: [{ path, set: { GROUPING: ['Late'] }, mode: 'replace' }] } });
      assert.deepEqual(preview.files[0]!.fields[0]!.before, ['Sunday Morning', 'Late']);
      assert.match(preview.files[0]!.fields[0]!.location, c.system === 'id3v2' ? /TIT1/ : c.system === 'vorbis' ? /Vorbis comment GROUPING/ : /MP4 ©grp/);
      const undone = await service.client['write.undo']({ batchId: r.batchId! });
      assert.equal(undone.batches[0]!.results[0]!.status, 'ok', JSON.stringify(undone.batches[0]!.results[0]!.error));
      assert.equal(mutagenRead([path])[path]!.tags[KEY[c.system]!], undefined);
    });
  }

  it('a write of GENRE keeps an existing grouping as it was (verification would refuse a change)', async () => {
    const master = makeAudioFile(dir, 'master-keep', 'flac', { title: 'Song' });
    const path = copyOf(master, dir, 'keep');
    const first = await service.client['write.apply']({ plan: { files: [{ path, set: { GROUPING: ['Workout'] } }] } });
    assert.equal(first.results[0]!.status, 'ok');
    const r = await service.client['write.apply']({ plan: { files: [{ path, set: { GENRE: ['Ambient'] } }] } });
    assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
    assert.deepEqual(mutagenRead([path])[path]!.tags.GROUPING, ['Workout']);
  });
});
