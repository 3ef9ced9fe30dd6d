// The write settings: defaults, validated changes, kept in the library database.
import assert from 'node:assert/strict';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { getStoredSettings, putStoredSettings } from '../../src-main/library/db/queries/settings.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile, openService } from './helpers/fixtures.ts';

describe('settings', () => {
  it('start from the defaults: BETTI_TAGS, ID3v2.4, "; ", mtime not kept, append', async (t) => {
    const svc = openService(join(tempDir(t), 'lib.db'));
    t.after(() => svc.close());
    assert.deepEqual(await svc.client['settings.get']({}), {
      write: { customField: 'BETTI_TAGS', id3Version: '2.4', id3v23Separator: '; ', keepMtime: false, defaultMode: 'append' },
    });
  });

  it('change only what is given, survive a restart, and refuse invalid values without saving anything', async (t) => {
    const db = join(tempDir(t), 'lib.db');
    const a = openService(db);
    const changed = await a.client['settings.set']({ write: { id3Version: '2.3', customField: 'MY_TAGS' } });
    assert.equal(changed.write.id3Version, '2.3');
    assert.equal(changed.write.defaultMode, 'append');
    await assert.rejects(
      a.client['settings.set']({ write: { customField: 'my tags', keepMtime: true } }),
      (e: unknown) => e instanceof BettiError && e.kind === 'invalid-request' && /customField/.test(e.message),
    );
    await assert.rejects(a.client['settings.set']({ write: { customField: 'GENRE' } }), /cannot be GENRE/);
    await assert.rejects(a.client['settings.set']({ write: { customField: 'mood' } }), /cannot be MOOD/);
    await assert.rejects(a.client['settings.set']({ write: { id3Version: '2.2' as '2.3' } }), (e: unknown) => e instanceof BettiError && e.kind === 'invalid-request');
    a.close();
    const b = openService(db);
    t.after(() => b.close());
    assert.deepEqual((await b.client['settings.get']({})).write, { customField: 'MY_TAGS', id3Version: '2.3', id3v23Separator: '; ', keepMtime: false, defaultMode: 'append' });
  });

  it('take the custom field name in any case and keep it upper case, as write plans do', async (t) => {
    const path = join(tempDir(t), 'lib.db');
    const svc = openService(path);
    t.after(() => svc.close());
    assert.equal((await svc.client['settings.set']({ write: { customField: ' my_tags ' } })).write.customField, 'MY_TAGS');
    assert.equal((await svc.client['settings.get']({})).write.customField, 'MY_TAGS');
    // Stored as written, so anything reading the settings table sees the name a tag will carry.
    const db = openLibraryDb(path);
    t.after(() => db.close());
    assert.equal(getStoredSettings(db).get('write.customField'), 'MY_TAGS');
  });

  it('fall back to the default for a stored value the schema no longer accepts', async (t) => {
    const path = join(tempDir(t), 'lib.db');
    const db = openLibraryDb(path);
    putStoredSettings(db, [
      ['write.id3Version', '9.9'],
      ['write.keepMtime', true],
    ]);
    db.close();
    const svc = openService(path);
    t.after(() => svc.close());
    const s = await svc.client['settings.get']({});
    assert.equal(s.write.id3Version, '2.4');
    assert.equal(s.write.keepMtime, true);
  });

  it('keepMtime keeps each written file’s modification time', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'song', 'flac', { genre: 'Rock' });
    const old = new Date('2001-02-03T04:05:06Z');
    utimesSync(path, old, old);
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    await svc.client['settings.set']({ write: { keepMtime: true } });
    const r = await svc.client['write.apply']({ plan: { files: [{ path, set: { MOOD: ['calm'] } }] } });
    assert.equal(r.results[0]!.status, 'ok');
    assert.equal(statSync(path).mtime.toISOString(), old.toISOString());
  });
});
