import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestError, parseManifest, splitCsvLine } from '../../training/manifest.ts';

const HEADER = 'path,tags,split,source,source_track,license,labelled_categories';

describe('the training manifest reader', () => {
  it('reads tags and labelled categories as lists and keeps empty tag lists empty', () => {
    const rows = parseManifest(`${HEADER}\naudio/a.ogg,drums;slow,train,hydrogen,h:1,CC0,instrument;tempo\naudio/b.ogg,,test,x,x:1,CC0,genre\n`);
    assert.deepEqual(rows[0], { path: 'audio/a.ogg', tags: ['drums', 'slow'], split: 'train', source: 'hydrogen', sourceTrack: 'h:1', labelledCategories: ['instrument', 'tempo'] });
    assert.deepEqual(rows[1]!.tags, []);
  });

  it('splits quoted fields with commas and doubled quotes', () => {
    assert.deepEqual(splitCsvLine('a,"b, c","say ""hi""",'), ['a', 'b, c', 'say "hi"', '']);
  });

  it('names the line of a row with an unknown split', () => {
    assert.throws(() => parseManifest(`${HEADER}\naudio/a.ogg,drums,dev,s,t,l,instrument\n`, 'm.csv'), (err: unknown) => err instanceof ManifestError && /m\.csv:2: split "dev"/.test(err.message));
  });

  it('refuses a path that climbs out of the data folder', () => {
    assert.throws(() => parseManifest(`${HEADER}\n../etc/passwd,drums,train,s,t,l,instrument\n`), /bad path/);
  });

  it('refuses a manifest without a required column', () => {
    assert.throws(() => parseManifest('path,tags,split\n'), /missing column "source"/);
  });
});
