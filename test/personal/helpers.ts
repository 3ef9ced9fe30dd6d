// A library with analysed tracks whose embeddings are made to order, for the personal-model tests
// that do not need the real network: tracks of a few "styles" (each style a direction in the
// 512-value embedding space, plus noise), in albums of one style, with the tags a test chooses.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createContext, type ServiceContext } from '../../src-main/api/context.ts';
import type { BettiClient } from '../../src-main/api/contract.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';
import type { LibraryDb } from '../../src-main/library/db/open.ts';
import { putAnalysis, putQueueEntry, registerModel } from '../../src-main/library/db/queries/analysis.ts';
import { upsertTrack } from '../../src-main/library/db/queries/tracks.ts';
import { emptyAudio, emptyTags, type TrackRecord } from '../../src-main/library/track.ts';
import { seededRandom, type Random } from '../helpers/random.ts';
import { tempDir } from '../helpers/tmp.ts';

export const DIMS = 512;
export const MODEL = 'test-model-1';
export const SPEC = 'spec-1';

export interface SyntheticTrack {
  style: number;
  album: string;
  genres?: string[];
  mood?: string;
  comment?: string;
  grouping?: string;
  /** Native frames, e.g. { vorbis: [{ id: 'BETTI_TAGS', value: 'drums' }] }. */
  native?: TrackRecord['raw']['native'];
}

export interface SyntheticLibrary {
  ctx: ServiceContext;
  bus: EventBus;
  client: BettiClient;
  db: LibraryDb;
  /** Track ids in the order of the tracks given. */
  ids: number[];
  /** Adds analysed tracks later (as an analysis run would), returning their ids. */
  add(tracks: SyntheticTrack[], finishedAt?: number): number[];
}

function styleVectors(rnd: Random, styles: number): Float32Array[] {
  return Array.from({ length: styles }, () => Float32Array.from({ length: DIMS }, () => (rnd() < 0.3 ? rnd() * 2 : 0)));
}

function record(path: string, t: SyntheticTrack): TrackRecord {
  return {
    path,
    size: 1000,
    mtimeMs: 1_700_000_000_000,
    fingerprint: `fp-${path}`,
    container: 'ogg',
    audio: { ...emptyAudio(), format: 'ogg', durationS: 10 },
    tags: { ...emptyTags(), title: path.split('/').pop()!, album: t.album, albumArtist: 'Artist', genres: t.genres ?? [], mood: t.mood ?? null, comment: t.comment ?? null },
    raw: { common: t.grouping ? { grouping: t.grouping } : {}, native: t.native ?? {} },
    warnings: [],
    error: null,
  };
}

export function syntheticLibrary(t: TestContext, tracks: SyntheticTrack[], opts: { seed?: number; styles?: number; noise?: number; modelTags?: { tag: string; category: string }[] } = {}): SyntheticLibrary {
  const bus = new EventBus();
  const ctx = createContext({ dbPath: join(tempDir(t, 'betti-personal-'), 'library.db'), bus });
  t.after(() => ctx.close());
  const client = createDirectClient(createService(ctx), bus);
  const db = ctx.db();
  const rnd = seededRandom(opts.seed ?? 1);
  const styles = styleVectors(rnd, opts.styles ?? 4);
  const noise = opts.noise ?? 0.6;
  registerModel(db, {
    modelVersion: MODEL,
    specVersion: SPEC,
    architecture: 'pcnn',
    tags: (opts.modelTags ?? [{ tag: 'drums', category: 'instrument' }]).map((m) => ({ ...m, threshold: 0.5 })),
  });
  let next = 0;
  const add = (list: SyntheticTrack[], finishedAt = Date.now()): number[] =>
    list.map((tr) => {
      const path = `/music/${tr.album.replaceAll(' ', '_')}/t${String(next++).padStart(4, '0')}.ogg`;
      const id = upsertTrack(db, record(path, tr));
      const style = styles[tr.style]!;
      const embedding = Float32Array.from(style, (v) => Math.max(0, v + (rnd() - 0.5) * 2 * noise));
      const key = { contentKey: `fp-${path}`, specVersion: SPEC, modelVersion: MODEL };
      putAnalysis(
        db,
        {
          ...key,
          backend: 'cpu',
          durationSec: 10,
          confidences: new Float32Array(opts.modelTags?.length ?? 1),
          windowOffsets: Float32Array.of(0),
          windowDurations: Float32Array.of(4.32),
          windowProbabilities: new Float32Array(opts.modelTags?.length ?? 1),
          embedding,
          timing: {},
        },
        null,
      );
      putQueueEntry(db, id, key, 'done', finishedAt);
      return id;
    });
  const ids = add(tracks, Date.now() - 60_000);
  return { ctx, bus, client, db, ids, add };
}

/** `count` tracks of one style in albums of `perAlbum`, each given `tags(i)`. */
export function albums(style: number, count: number, perAlbum: number, name: string, tags: (i: number) => Partial<SyntheticTrack> = () => ({})): SyntheticTrack[] {
  return Array.from({ length: count }, (_, i) => ({ style, album: `${name} ${Math.floor(i / perAlbum)}`, ...tags(i) }));
}
