// Issue 10 end to end, on real audio (../shared/data clips) and the real shipped model: a library
// where the person marked the clips with drums GROUPING=Percussive (a field the shipped model
// does not know) but left a few unmarked; scanned and analysed through the API; `personal.learn`
// reports the learned value's cross-validated ROC-AUC and suggests it for the unmarked drum clips;
// an accepted suggestion is written to the file's GROUPING; `betti learn --json` and `betti
// similar` work on the same library.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createContext } from '../../src-main/api/context.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { EventBus } from '../../src-main/api/events.ts';
import type { LearnReport, SimilarResult } from '../../src-main/api/schemas/personal.ts';
import { createService } from '../../src-main/api/service.ts';
import { parseJsonOutput, runBetti } from '../helpers/cli.ts';
import { seededRandom } from '../helpers/random.ts';
import { sharedDataDir, sharedDataSkip } from '../helpers/shared-data.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Clip {
  path: string;
  tags: string[];
  group: string;
}

function manifest(): Clip[] {
  const [header, ...lines] = readFileSync(join(sharedDataDir, 'manifest.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string) => cols.indexOf(name);
  return lines.map((l) => {
    const f = l.split(',');
    return { path: f[at('path')]!, tags: f[at('tags')]!.split(';'), group: f[at('source_track')]! };
  });
}

/** `n` clips picked with a seeded shuffle. */
function pick(clips: Clip[], n: number, seed: number): Clip[] {
  const rnd = seededRandom(seed);
  const a = [...clips];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

/** Sets Vorbis comments with mutagen (an independent writer), one process for all files. */
function tagWithMutagen(files: { path: string; tags: Record<string, string> }[]): void {
  const script = `
import json, sys
from mutagen.oggvorbis import OggVorbis
for item in json.load(sys.stdin):
    f = OggVorbis(item['path'])
    for k, v in item['tags'].items():
        f[k] = [v]
    f.save()
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(files), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function readGrouping(path: string): string[] {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys\nfrom mutagen.oggvorbis import OggVorbis\nprint("\\n".join(OggVorbis(sys.argv[1]).get("grouping", [])))', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

describe('personal tag models on real audio with the shipped model', { skip: sharedDataSkip }, () => {
  it('learns a made-up GROUPING from the tracks that have it, reports its cross-validated ROC-AUC, and suggests it for the unmarked look-alikes', async (t) => {
    const all = manifest();
    const drums = pick(
      all.filter((c) => c.tags.includes('drums')),
      45,
      1,
    );
    const others = pick(
      all.filter((c) => !c.tags.includes('drums')),
      65,
      2,
    );
    const dir = tempDir(t, 'betti-personal-e2e-');
    const music = join(dir, 'music');
    const files = [...drums, ...others].map((c, i) => {
      const path = join(music, `clip-${String(i).padStart(3, '0')}.ogg`);
      return { clip: c, path, drums: i < drums.length, marked: i < drums.length - 8 };
    });
    mkdirSync(music);
    for (const f of files) {
      copyFileSync(join(sharedDataDir, f.clip.path), f.path);
      chmodSync(f.path, 0o644); // the shared data is read-only; a person's library is not
    }
    // The person's rule: clips with drums are "Percussive" — but the last 8 are not marked yet.
    // ALBUM is the clip's source track, so cross-validation holds out whole source tracks.
    tagWithMutagen(files.map((f) => ({ path: f.path, tags: { ALBUM: f.clip.group, ...(f.marked ? { GROUPING: 'Percussive' } : {}) } })));

    const bus = new EventBus();
    const ctx = createContext({ dbPath: join(dir, 'library.db'), bus });
    t.after(() => ctx.close());
    const client = createDirectClient(createService(ctx), bus);
    const scanned = await client['library.scan']({ folders: [music] });
    assert.equal(scanned.errors, 0);
    const finished = new Promise<void>((resolve) => bus.on('analysis.progress', (p) => p.state !== 'running' && p.state !== 'paused' && resolve()));
    await client['analysis.start']({ jobs: 1, pictures: false, maxWindows: 1 });
    await finished;
    const status = await client['analysis.status']({});
    assert.deepEqual(status.library, { pending: 0, running: 0, done: files.length, failed: 0 });

    const report: LearnReport = await client['personal.learn']({ fields: ['GROUPING'] });
    assert.equal(report.tracks, files.length);
    const v = report.values.find((x) => x.field === 'GROUPING' && x.value === 'Percussive')!;
    t.diagnostic(`GROUPING=Percussive: ${v.positives} tracks, cross-validated ROC-AUC ${v.cvRocAuc?.toFixed(3)}, precision ${v.cvPrecision?.toFixed(2)}, recall ${v.cvRecall?.toFixed(2)} at ${v.threshold?.toFixed(2)}; ${v.suggestions} suggestions`);
    assert.equal(v.positives, 37);
    assert.ok(v.cvRocAuc! > 0.8, `cross-validated ROC-AUC ${v.cvRocAuc}`);
    assert.ok(v.offered, v.reason);
    assert.equal(v.writesTo, 'GROUPING');

    const suggested = (await client['review.list']({ decision: 'pending', limit: 10_000 })).suggestions.filter((s) => s.source === 'personal');
    const byPath = new Map(files.map((f) => [f.path, f]));
    const hits = suggested.filter((s) => byPath.get(s.path)!.drums);
    t.diagnostic(`suggested for ${suggested.length} tracks: ${hits.length} of them have drums; ${hits.length} of the 8 unmarked drum clips found`);
    assert.ok(suggested.every((s) => !byPath.get(s.path)!.marked), 'never suggested for a track that already has it');
    assert.ok(hits.length >= 5, `${hits.length} of the 8 unmarked drum clips suggested`);
    // Drums are 8 of the 73 unmarked tracks (11 %): the suggestions must be far richer in them.
    const unmarked = files.filter((f) => !f.marked);
    const baseRate = unmarked.filter((f) => f.drums).length / unmarked.length;
    assert.ok(hits.length / suggested.length >= 3 * baseRate, `${hits.length} of ${suggested.length} suggestions have drums (base rate ${baseRate.toFixed(2)})`);

    // Accepting one writes it to the file's own GROUPING.
    const one = hits[0]!;
    await client['review.decide']({ suggestionIds: [one.id], decision: 'accepted' });
    const applied = await client['write.apply']({ accepted: { trackIds: [one.trackId] } });
    assert.equal(applied.results[0]!.status, 'ok', JSON.stringify(applied.results[0]!.error));
    assert.deepEqual(readGrouping(one.path), ['Percussive']);

    // The CLI over the same library.
    await ctx.close();
    const learned = parseJsonOutput<LearnReport>(runBetti(['--db', join(dir, 'library.db'), '--json', 'learn', '--field', 'GROUPING']));
    assert.ok(learned.values.find((x) => x.value === 'Percussive')!.offered);
    const similar = runBetti(['--db', join(dir, 'library.db'), 'similar', files[0]!.path, '--n', '5']);
    assert.equal(similar.status, 0, similar.stderr);
    assert.match(similar.stdout, /^Tracks that sound like .*clip-000\.ogg:/);
    assert.match(similar.stdout, new RegExp(`${files.length} analysed tracks compared in [\\d.]+ ms`));
    const json = parseJsonOutput<SimilarResult>(runBetti(['--db', join(dir, 'library.db'), '--json', 'similar', files[0]!.path, '--n', '10']));
    // A drum clip's nearest neighbours are mostly drum clips.
    const drumNeighbours = json.tracks.filter((x) => byPath.get(x.path)!.drums).length;
    t.diagnostic(`${drumNeighbours} of the 10 tracks most like a drum clip have drums`);
    assert.ok(drumNeighbours >= 6, `${drumNeighbours} of 10 neighbours have drums`);
  });
});
