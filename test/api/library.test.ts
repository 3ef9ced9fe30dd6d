import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src-main/api/context.ts';
import type { EventPayloadOf } from '../../src-main/api/contract.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';
import { copy, encode, fixtureFormats } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

function client(dbPath: string) {
  const bus = new EventBus();
  const ctx = createContext({ dbPath, bus });
  return { api: createDirectClient(createService(ctx), bus), close: () => ctx.close() };
}

describe('the library API', () => {
  const dir = tempDir({ after }, 'betti-api-lib-');
  const music = join(dir, 'music');
  before(() => {
    mkdirSync(music);
    const src = encode(dir, 'src', fixtureFormats.ogg!, { metadata: { title: 'Aurora', artist: 'Ensemble', genre: 'Ambient' } });
    for (let i = 0; i < 5; i++) copy(src, join(music, `${i}.ogg`));
  });

  it('scans, reporting progress as scan.progress events, then lists and opens tracks', async () => {
    const { api, close } = client(join(dir, 'a.db'));
    const events: EventPayloadOf<'scan.progress'>[] = [];
    const stop = api.on('scan.progress', (p) => events.push(p));
    const summary = await api['library.scan']({ folders: [music] });
    stop();
    assert.equal(summary.new, 5);
    assert.ok(events.some((e) => e.phase === 'walk'));
    assert.deepEqual(events.at(-1), { done: 5, total: 5, path: '', phase: 'finish' });

    const list = await api['library.list']({ search: 'aurora' });
    assert.deepEqual([list.total, list.offset, list.limit], [5, 0, 100]);
    assert.equal(list.tracks[0]!.tags.genres[0], 'Ambient');
    assert.equal('raw' in list.tracks[0]!, false, 'list rows leave the raw tags out');

    const track = await api['library.track']({ id: list.tracks[0]!.id });
    assert.equal(track.tags.title, 'Aurora');
    assert.ok(Array.isArray(track.raw.native.vorbis));
    await assert.rejects(api['library.track']({ id: 999_999 }), (err: unknown) => err instanceof BettiError && err.kind === 'not-found');
    close();
  });

  it('runs one scan at a time and can cancel it', async () => {
    const { api, close } = client(join(dir, 'b.db'));
    assert.deepEqual(await api['library.cancelScan']({}), { cancelled: false });
    const first = api['library.scan']({ folders: [music] });
    await assert.rejects(api['library.scan']({ folders: [music] }), (err: unknown) => err instanceof BettiError && err.kind === 'busy');
    assert.deepEqual(await api['library.cancelScan']({}), { cancelled: true });
    const s = await first;
    assert.equal(s.cancelled, true);
    assert.equal(s.missing, 0);
    const again = await api['library.scan']({ folders: [music] });
    assert.equal(again.cancelled, false);
    close();
  });

  it('refuses requests that break the schemas', async () => {
    const { api, close } = client(join(dir, 'c.db'));
    await assert.rejects(api['library.scan']({ folders: [] }), (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request' && /at least one folder/.test(err.message));
    await assert.rejects(api['library.list']({ limit: 5000 }), (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request');
    close();
  });
});
