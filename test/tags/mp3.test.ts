// mp3: the shared write checks in ID3v2.4 and ID3v2.3, plus what is particular to ID3: version
// conversion, ID3v1 kept as found, values ID3v2.3 cannot hold.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile, openService } from './helpers/fixtures.ts';
import { assertIndependentlyRead, audioFacts, describeFormat } from './helpers/format-suite.ts';
import { mutagenRead } from './helpers/readers.ts';

describeFormat('mp3');
describeFormat('mp3', { id3Version: '2.3' });

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const tail = (path: string) => readFileSync(path).subarray(-128);

function mutagen(script: string, path: string): void {
  const r = spawnSync('/usr/bin/python3', ['-c', `import sys\nfrom mutagen.id3 import ID3, TXXX, TYER\n${script}`, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

describe('mp3 tags: what is particular to ID3', () => {
  it('keeps an ID3v1 tag byte for byte and never adds one to a file without', async (t) => {
    const dir = tempDir(t);
    const withV1 = makeAudioFile(dir, 'with', 'mp3', { title: 'Old title', genre: 'Rock', id3v1: true });
    const without = makeAudioFile(dir, 'without', 'mp3', { title: 'Old title', genre: 'Rock' });
    const v1 = Buffer.from(tail(withV1));
    assert.equal(v1.subarray(0, 3).toString('latin1'), 'TAG');
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    const r = await svc.client['write.apply']({ plan: { files: [withV1, without].map((path) => ({ path, set: { GENRE: ['Ambient'], BETTI_TAGS: ['piano'] } })) } });
    assert.deepEqual(
      r.results.map((x) => x.status),
      ['ok', 'ok'],
    );
    assert.deepEqual(tail(withV1), v1, 'the ID3v1 trailer is unchanged');
    assert.notEqual(tail(without).subarray(0, 3).toString('latin1'), 'TAG', 'no ID3v1 tag was added');
    assertIndependentlyRead(withV1, 'mp3', { GENRE: ['Rock', 'Ambient'], BETTI_TAGS: ['piano'] });
  });

  it('saves an ID3v2.3 file as ID3v2.4, moving TXXX:MOOD to TMOO and keeping the title and year', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'v23', 'mp3', { title: 'Old title', genre: 'Rock', id3v2: 3 });
    mutagen("f = ID3(sys.argv[1])\nf.add(TXXX(encoding=1, desc='MOOD', text=['calm; dark']))\nf.add(TYER(encoding=0, text=['1999']))\nf.save(v2_version=3)", path);
    assert.deepEqual(mutagenRead([path])[path]!.id3, [2, 3, 0]);
    const audio = audioFacts(path);
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    const r = await svc.client['write.apply']({ plan: { files: [{ path, set: { BETTI_TAGS: ['piano'] } }] } });
    assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
    const m = mutagenRead([path])[path]!;
    assert.deepEqual(m.id3, [2, 4, 0]);
    assert.deepEqual(m.tags.TMOO, ['calm', 'dark']);
    assert.equal(m.tags['TXXX:MOOD'], undefined, 'no stale TXXX:MOOD is left beside TMOO');
    assert.deepEqual(m.tags.TIT2, ['Old title']);
    assert.deepEqual(m.tags.TDRC, ['1999']);
    assertIndependentlyRead(path, 'mp3', { GENRE: ['Rock'], MOOD: ['calm', 'dark'], BETTI_TAGS: ['piano'] });
    assert.deepEqual(audioFacts(path), audio);
  });

  it('writes several genres into one ID3v2.3 TCON joined by the separator, and honours another separator', async (t) => {
    const dir = tempDir(t);
    const a = makeAudioFile(dir, 'a', 'mp3', { genre: 'Rock' });
    const b = makeAudioFile(dir, 'b', 'mp3', { genre: 'Rock' });
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    await svc.client['settings.set']({ write: { id3Version: '2.3' } });
    let r = await svc.client['write.apply']({ plan: { files: [{ path: a, set: { GENRE: ['Ambient'], MOOD: ['calm', 'dark'] } }] } });
    assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
    let m = mutagenRead([a])[a]!;
    assert.deepEqual(m.tags.TCON, ['Rock; Ambient']);
    assert.deepEqual(m.tags['TXXX:MOOD'], ['calm; dark']);
    await svc.client['settings.set']({ write: { id3v23Separator: ' / ' } });
    r = await svc.client['write.apply']({ plan: { files: [{ path: b, set: { GENRE: ['Ambient'] } }] } });
    assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
    m = mutagenRead([b])[b]!;
    assert.deepEqual(m.tags.TCON, ['Rock / Ambient']);
  });

  it('refuses, per file and with the reason, values ID3v2.3 cannot hold (an emoji, the separator) and changes nothing', async (t) => {
    const dir = tempDir(t);
    const emoji = makeAudioFile(dir, 'emoji', 'mp3', { genre: 'Rock' });
    const sep = makeAudioFile(dir, 'sep', 'mp3', { genre: 'Rock' });
    const fine = makeAudioFile(dir, 'fine', 'mp3', { genre: 'Rock' });
    const before = [sha(emoji), sha(sep)];
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    await svc.client['settings.set']({ write: { id3Version: '2.3' } });
    const r = await svc.client['write.apply']({
      plan: {
        files: [
          { path: emoji, set: { BETTI_TAGS: ['🎹 piano'] } },
          { path: sep, set: { GENRE: ['Drum; Bass'] } },
          { path: fine, set: { GENRE: ['Jazz'] } },
        ],
      },
    });
    assert.deepEqual(
      r.results.map((x) => x.status),
      ['failed', 'failed', 'ok'],
    );
    assert.equal(r.results[0]!.error?.kind, 'invalid-request');
    assert.equal(r.results[0]!.error?.where, 'BETTI_TAGS');
    assert.match(r.results[0]!.error!.message, /UCS-2/);
    assert.equal(r.results[1]!.error?.where, 'GENRE');
    assert.match(r.results[1]!.error!.message, /separator/);
    assert.deepEqual([sha(emoji), sha(sep)], before);
  });
});
