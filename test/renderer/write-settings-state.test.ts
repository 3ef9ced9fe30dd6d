// The write settings form without a DOM: it loads what is saved, sends only what the person
// changed, takes the core's form of the values back, and keeps the edits when the core refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import type * as SettingsModule from '../../src-renderer/features/write/settings.svelte.ts';
import { fakeClient } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';

const { WriteSettingsState } = await importRenderer<typeof SettingsModule>('features/write/settings.svelte.ts');

const defaults: ResponseOf<'settings.get'> = { write: { customField: 'BETTI_TAGS', id3Version: '2.4', id3v23Separator: '; ', keepMtime: false, defaultMode: 'append' } };

describe('WriteSettingsState', () => {
  it('sends only the changed settings and shows the saved values in the form as the core keeps them', async () => {
    const f = fakeClient({
      'settings.get': () => defaults,
      'settings.set': (r) => ({ write: { ...defaults.write, ...r.write, customField: (r.write?.customField ?? defaults.write.customField).toUpperCase() } }),
    });
    const s = new WriteSettingsState(f.client);
    assert.equal(await s.save(), false, 'nothing loaded, nothing to save');
    await s.load();
    assert.deepEqual(s.changed, []);
    assert.equal(await s.save(), false, 'nothing changed, nothing sent');
    s.draft!.customField = 'my_tags';
    s.draft!.id3Version = '2.3';
    assert.deepEqual(s.changed, ['customField', 'id3Version']);
    assert.equal(await s.save(), true);
    assert.deepEqual(f.callsTo('settings.set'), [{ write: { customField: 'my_tags', id3Version: '2.3' } }]);
    assert.equal(s.draft!.customField, 'MY_TAGS');
    assert.equal(s.saved!.id3Version, '2.3');
    assert.deepEqual(s.changed, []);
    assert.equal(s.message, 'Settings saved.');
  });

  it('keeps the edits and shows the reason when the core refuses them; revert goes back to what is saved', async () => {
    const f = fakeClient({
      'settings.get': () => defaults,
      'settings.set': () => {
        throw new BettiError('invalid-request', 'settings.set: field name "MY TAGS" is not GENRE, MOOD, GROUPING or a custom name', { hint: 'Nothing was saved: every setting is as it was.' });
      },
    });
    const s = new WriteSettingsState(f.client);
    await s.load();
    s.draft!.customField = 'my tags';
    assert.equal(await s.save(), false);
    assert.equal(s.draft!.customField, 'my tags');
    assert.match(s.error!.message, /MY TAGS/);
    assert.equal(s.error!.hint, 'Nothing was saved: every setting is as it was.');
    assert.equal(s.saving, false);
    s.revert();
    assert.deepEqual(s.draft, defaults.write);
    assert.equal(s.error, null);
  });

  it('unfolds and asks for the focus when the desktop menu asks for the settings', () => {
    const s = new WriteSettingsState(fakeClient({}).client);
    assert.equal(s.open, false, 'folded at first');
    s.reveal();
    assert.equal(s.open, true);
    assert.equal(s.focusPending, true);
  });

  it('says why the settings could not be loaded', async () => {
    const f = fakeClient({
      'settings.get': () => {
        throw new BettiError('io', 'database is locked');
      },
    });
    const s = new WriteSettingsState(f.client);
    await s.load();
    assert.equal(s.draft, null);
    assert.equal(s.error!.message, 'database is locked');
  });
});
