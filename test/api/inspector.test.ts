// The inspector's API area on a real analysed library: per-track status, and the persistence of
// one channel in one segment recomputed from the audio — whose landscapes must be the ones the
// analysis stored (to within their byte quantisation), which checks the recomputed front end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BettiClient } from '../../src-main/api/contract.ts';
import { createContext, type ServiceContext } from '../../src-main/api/context.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';
import { makeMusicFolder } from '../browser/helpers/music.ts';

describe('inspector API', { timeout: 180_000 }, () => {
  let ctx: ServiceContext;
  let client: BettiClient;
  let dir = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'betti-inspector-'));
    const music = makeMusicFolder(dir);
    const bus = new EventBus();
    ctx = createContext({ dbPath: join(dir, 'library.db'), bus });
    client = createDirectClient(createService(ctx), bus);
    await client['library.scan']({ folders: [music] });
    const done = new Promise<void>((resolve) => bus.on('analysis.progress', (p) => p.state === 'done' && resolve()));
    await client['analysis.start']({ jobs: 1 });
    await done;
  });

  after(() => {
    ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each track analysed, with its suggestions counted by decision', async () => {
    const { tracks } = await client['library.list']({});
    const ids = tracks.map((t) => t.id);
    const { tracks: status } = await client['inspector.status']({ trackIds: [...ids, 999_999] });
    assert.deepEqual(
      status.map((s) => s.trackId),
      [...ids].sort((a, b) => a - b),
      'unknown ids are left out',
    );
    for (const s of status) {
      assert.equal(s.analysis, 'done');
      const pending = await client['review.list']({ trackIds: [s.trackId], limit: 1 });
      assert.equal(s.pending, pending.total);
      assert.equal(s.accepted + s.rejected, 0);
    }
  });

  it('recomputes landscapes equal to the stored ones for every window, segment and some channels', async () => {
    const { tracks } = await client['library.list']({});
    for (const t of tracks.slice(0, 2)) {
      const r = await client['analysis.result']({ trackId: t.id });
      const d = r.display!;
      const bytes = Buffer.from(d.landscapes.base64, 'base64');
      const [W = 0, S = 0, C = 0, K = 0, P = 0] = d.landscapes.shape;
      const step = (d.landscapes.max - d.landscapes.min) / 255;
      for (let w = 0; w < W; w++) {
        for (let s = 0; s < S; s++) {
          for (const channel of [0, 21, C - 1]) {
            const p = await client['inspector.persistence']({ trackId: t.id, window: w, segment: s, channel });
            assert.equal(p.landscape.length, K * P);
            for (let i = 0; i < K * P; i++) {
              const stored = d.landscapes.min + bytes[((w * S + s) * C + channel) * K * P + i]! * step;
              assert.ok(Math.abs(stored - p.landscape[i]!) <= step / 2 + 1e-6, `${t.path} window ${w} segment ${s} channel ${channel} value ${i}: stored ${stored}, recomputed ${p.landscape[i]}`);
            }
            // The diagram is of the activations: the essential pair spans their maximum and minimum.
            assert.equal(p.diagram[0]!.birth, Math.max(...p.activations));
            assert.equal(p.diagram[0]!.death, Math.min(...p.activations));
            assert.ok(p.start >= r.windows[w]!.offset - 1e-6 && p.end <= r.windows[w]!.offset + r.windows[w]!.duration + 1e-6);
          }
        }
      }
    }
  });

  it('stores a spectrogram of the analysed windows only, one block of columns per window', async () => {
    const { tracks } = await client['library.list']({});
    for (const t of tracks) {
      const r = await client['analysis.result']({ trackId: t.id });
      const logMel = r.display!.logMel;
      assert.deepEqual(
        logMel.windows.map(({ offset, duration }) => ({ offset, duration })),
        r.windows.map(({ offset, duration }) => ({ offset, duration })),
      );
      let next = 0;
      for (const w of logMel.windows) {
        assert.equal(w.firstColumn, next, 'blocks follow each other');
        next += w.columns;
        const times = logMel.times.slice(w.firstColumn, w.firstColumn + w.columns);
        assert.ok(times.every((time) => time >= w.offset - 1e-4 && time < w.offset + w.duration), `${t.path}: the columns of the window at ${w.offset} s lie inside it`);
      }
      assert.equal(next, logMel.shape[0], 'and cover the picture');
    }
  });

  it('names the track and the windows it has when asked for a window that is not there', async () => {
    const { tracks } = await client['library.list']({ limit: 1 });
    await assert.rejects(
      client['inspector.persistence']({ trackId: tracks[0]!.id, window: 99, segment: 0, channel: 0 }),
      (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request' && /there is no window 99/.test(err.message) && err.message.includes(tracks[0]!.path),
    );
  });

  it('refuses a channel the network does not have, at the schema', async () => {
    await assert.rejects(client['inspector.persistence']({ trackId: 1, window: 0, segment: 0, channel: 64 }), (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request');
  });
});
