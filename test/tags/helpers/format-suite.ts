// The checks every format's test file runs (test/tags/<format>.test.ts), the way music-metadata
// runs the same checks on every input: write through the real service, then read the result
// with mutagen and exiftool (never Betti's own reader), compare the decoded audio (ffmpeg md5)
// and the stream packets before and after, and look for leftover temporary files.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Id3Version, TagFormat } from '../../../src-main/tags/fields.ts';
import { copyOf, makeAudioFile, openService, type TestService } from './fixtures.ts';
import { decodedMd5, exiftoolRead, exiftoolView, mutagenRead, mutagenValues, streamMd5 } from './readers.ts';

export function leftoverTempFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.includes('.betti-tmp-'));
}

/** Asserts mutagen and exiftool both read `fields` from the file as expected. */
export function assertIndependentlyRead(path: string, format: TagFormat, fields: Record<string, string[]>, id3Version: Id3Version = '2.4', separator = '; '): void {
  const m = mutagenRead([path])[path]!;
  assert.equal(m.error, undefined, `mutagen cannot read ${path}: ${m.error}`);
  const x = exiftoolRead([path])[path] ?? {};
  for (const [field, values] of Object.entries(fields)) {
    assert.deepEqual(mutagenValues(m, format, field, id3Version, separator), values, `mutagen reads ${field} of ${format}`);
    const view = exiftoolView(x, format, field, id3Version, values, separator);
    assert.deepEqual(view.got, view.want, `exiftool reads ${field} of ${format}`);
  }
}

export interface AudioFacts {
  decoded: string;
  stream: string;
}

export function audioFacts(path: string): AudioFacts {
  return { decoded: decodedMd5(path), stream: streamMd5(path) };
}

export function describeFormat(format: TagFormat, opts: { id3Version?: Id3Version } = {}): { dir: () => string; service: () => TestService; master: () => string } {
  const id3Version = opts.id3Version ?? '2.4';
  let dir = '';
  let master = '';
  let service: TestService;
  let n = 0;
  const fresh = () => copyOf(master, dir, `track-${++n}`);

  describe(`${format} tags${opts.id3Version ? ` (ID3v${id3Version})` : ''}: the shared checks`, () => {
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), `betti-${format}-`));
      master = makeAudioFile(dir, 'master', format, { title: 'Song title', genre: 'Rock' });
      service = openService(join(dir, 'library.db'));
      if (opts.id3Version) await service.client['settings.set']({ write: { id3Version } });
    });
    after(() => {
      service.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('appends GENRE, MOOD and BETTI_TAGS that mutagen and exiftool read back, leaving the audio and the title alone', async () => {
      const path = fresh();
      chmodSync(path, 0o640);
      const audio = audioFacts(path);
      const r = await service.client['write.apply']({
        plan: { files: [{ path, set: { GENRE: ['Ambient', 'Jazz'], MOOD: ['calm'], BETTI_TAGS: ['piano', 'slow'] } }] },
      });
      assert.equal(statSync(path).mode & 0o777, 0o640, 'the file keeps its permissions');
      assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
      assert.equal(typeof r.batchId, 'number');
      assert.deepEqual(
        r.results[0]!.fields.map((f) => [f.field, f.change]),
        [
          ['GENRE', 'append'],
          ['MOOD', 'add'],
          ['BETTI_TAGS', 'add'],
        ],
      );
      assertIndependentlyRead(path, format, { GENRE: ['Rock', 'Ambient', 'Jazz'], MOOD: ['calm'], BETTI_TAGS: ['piano', 'slow'] }, id3Version);
      assert.deepEqual(audioFacts(path), audio, 'decoded audio and stream packets are unchanged');
      const m = mutagenRead([path])[path]!;
      const title = m.tags.TIT2 ?? m.tags.TITLE ?? m.tags['©nam'] ?? [];
      if (format !== 'wav') assert.deepEqual(title, ['Song title']);
      if (format === 'mp3' || format === 'wav' || format === 'aiff') assert.deepEqual(m.id3, [2, Number(id3Version.slice(2)), 0]);
      assert.deepEqual(leftoverTempFiles(dirname(path)), []);
    });

    it('replaces a field when the plan says replace and removes a field it names in remove', async () => {
      const path = fresh();
      const first = await service.client['write.apply']({ plan: { files: [{ path, set: { MOOD: ['calm', 'dark'], BETTI_TAGS: ['piano'] } }] } });
      assert.equal(first.results[0]!.status, 'ok', JSON.stringify(first.results[0]!.error));
      const r = await service.client['write.apply']({ plan: { files: [{ path, set: { GENRE: ['Ambient'], MOOD: ['bright'] }, remove: ['BETTI_TAGS'], mode: 'replace' }] } });
      assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
      assert.deepEqual(
        r.results[0]!.fields.map((f) => [f.field, f.before, f.after, f.change]),
        [
          ['GENRE', ['Rock'], ['Ambient'], 'replace'],
          ['MOOD', ['calm', 'dark'], ['bright'], 'replace'],
          ['BETTI_TAGS', ['piano'], [], 'remove'],
        ],
      );
      assertIndependentlyRead(path, format, { GENRE: ['Ambient'], MOOD: ['bright'], BETTI_TAGS: [] }, id3Version);
    });

    it('round-trips right-to-left text, newlines, emoji and a 10,000-character value exactly', async () => {
      const path = fresh();
      const audio = audioFacts(path);
      const long = 'ab\u00e9\u05d0'.repeat(2500); // 10,000 characters, Latin and Hebrew
      const values = id3Version === '2.3' ? ['שלום עולם', 'line one\nline two', long] : ['שלום עולם', 'line one\nline two', '🎹 piano', long];
      const r = await service.client['write.apply']({ plan: { files: [{ path, set: { BETTI_TAGS: values, MOOD: ['مرح'] } }] } });
      assert.equal(r.results[0]!.status, 'ok', JSON.stringify(r.results[0]!.error));
      const m = mutagenRead([path])[path]!;
      assert.deepEqual(mutagenValues(m, format, 'BETTI_TAGS', id3Version), values);
      assert.deepEqual(mutagenValues(m, format, 'MOOD', id3Version), ['مرح']);
      assert.deepEqual(audioFacts(path), audio);
    });

    it('leaves a file that already holds the planned values untouched and records no batch', async () => {
      const path = fresh();
      const r = await service.client['write.apply']({ plan: { files: [{ path, set: { GENRE: ['Rock'] } }] } });
      assert.equal(r.results[0]!.status, 'unchanged');
      assert.equal(r.batchId, null);
    });
  });

  return { dir: () => dir, service: () => service, master: () => master };
}
