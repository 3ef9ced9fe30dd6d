// `betti scan` + `betti analyze` + `betti suggest` end to end, as a person runs them, with the real
// shipped model and real worker threads on a library generated with ffmpeg: a corrupt file and a
// hanging decoder do not stop the run, a moved file is not analysed again, and a run killed with
// SIGKILL resumes and finishes with every track analysed exactly once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { createContext } from '../../src-main/api/context.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';
import type { AnalysisResult, AnalysisStatus } from '../../src-main/api/schemas/analysis.ts';
import type { ModelTag } from '../../src-main/model/model-files.ts';
import { modelTagVerdict } from '../../src-main/model/quality-bar.ts';
import { bettiBin, parseJsonOutput, repoRoot, runBetti } from '../helpers/cli.ts';
import { makeAudio } from '../helpers/ffmpeg-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FEATURE_SPEC } from '../../src-main/features/spec.ts';

interface SuggestJson {
  tracks: { trackId: number; path: string; suggestions: { tag: string; confidence: number; threshold: number | null }[] }[];
  totalTracks: number;
}

function query<T>(dbPath: string, sql: string): T[] {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Distinct audio per file (different tones and noise), so no two files share a fingerprint. */
function makeLibrary(dir: string, count: number, seconds: number): string[] {
  mkdirSync(dir, { recursive: true });
  const exts = ['mp3', 'flac', 'ogg', 'wav'];
  return Array.from({ length: count }, (_, i) =>
    makeAudio(dir, `track-${String(i).padStart(2, '0')}`, exts[i % exts.length]!, {
      exprs: `0.3*sin(${110 + 37 * i}*2*PI*t)+0.2*sin(${220 + 53 * i}*2*PI*t*(1+0.1*sin(t)))+0.05*(random(${i})-0.5)`,
      seconds,
      rate: 22050,
    }),
  );
}

describe('betti analyze (real model, worker threads)', () => {
  let dir: string;
  let db: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'betti-analyze-'));
    db = join(dir, 'library.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('analyses a generated library; a corrupt file and a hanging decoder are recorded and the rest finish', () => {
    const music = join(dir, 'music');
    makeLibrary(music, 5, 6);
    // Random bytes that music-metadata accepts as MPEG but no decoder can play, and a file whose decoding will hang.
    writeFileSync(join(music, 'corrupt.mp3'), Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(20_000, 0x5a)]));
    makeAudio(music, 'hangs-forever', 'mp3', { exprs: 'sin(440*2*PI*t)', seconds: 5 });
    const scan = runBetti(['--db', db, 'scan', music]);
    assert.equal(scan.status, 0, scan.stderr);

    const run = runBetti(['--db', db, '--json', 'analyze', '--jobs', '2', '--timeout', '4'], { env: { BETTI_TEST_HANG_PATTERN: 'hangs-forever' } });
    assert.equal(run.status, 0, run.stderr);
    const s = parseJsonOutput<AnalysisStatus>(run);
    assert.equal(s.state, 'done');
    assert.equal(s.jobs, 2);
    assert.equal(s.model?.specVersion, FEATURE_SPEC.version);
    const tracks = query<{ n: number }>(db, 'SELECT count(*) AS n FROM tracks WHERE error_kind IS NULL')[0]!.n;
    assert.equal(s.total, tracks);
    const failed = new Map(s.failures.map((f) => [f.path.split('/').pop(), f]));
    const hung = failed.get('hangs-forever.mp3');
    assert.ok(hung, `the hanging file is among the failures: ${JSON.stringify(s.failures)}`);
    assert.equal(hung.reason, 'timeout');
    assert.equal(hung.attempts, 2);
    if (tracks === 7) {
      const corrupt = failed.get('corrupt.mp3');
      assert.ok(corrupt, 'the corrupt file is among the failures');
      // Whatever the decoders make of it (undecodable, or a few ms of noise: too short), it is a clear per-file reason.
      assert.ok(['decode-failed', 'unsupported-format'].includes(corrupt.kind), corrupt.message);
      assert.match(corrupt.message, /corrupt\.mp3/);
      assert.equal(corrupt.attempts, 2);
    }
    assert.equal(s.analysed, 5, 'every playable file was analysed');
    assert.equal(s.errors, tracks - 5);

    const rows = query<{ state: string; n: number }>(db, 'SELECT state, count(*) AS n FROM analysis_queue GROUP BY state ORDER BY state');
    assert.deepEqual(rows.map((r) => [r.state, r.n]), [['done', 5], ['failed', tracks - 5]]);
    const stored = query<{ confidences: Uint8Array; embedding: Uint8Array; windows: number; computed_count: number; tags: string }>(
      db,
      'SELECT a.confidences, a.embedding, a.windows, a.computed_count, m.tags_json AS tags FROM analyses a JOIN analysis_models m USING (model_version)',
    );
    assert.equal(stored.length, 5);
    for (const a of stored) {
      const tagCount = (JSON.parse(a.tags) as unknown[]).length;
      assert.equal(a.confidences.byteLength, 4 * tagCount, 'confidences are a Float32 BLOB, one per tag');
      assert.equal(a.embedding.byteLength, 4 * 512);
      assert.equal(a.computed_count, 1);
      assert.ok(a.windows >= 1);
    }
  });

  test('suggest lists per track the tags at or above their thresholds, none below the quality bar, and --min-confidence narrows them', () => {
    // The workers hand the pool each tag's valid measurements (tags.json), which the stored model keeps.
    const [model] = query<{ tags: string }>(db, 'SELECT tags_json AS tags FROM analysis_models');
    const tags = JSON.parse(model!.tags) as ModelTag[];
    assert.ok(tags.every((t) => t.valid !== undefined), 'every tag of the stored model carries its valid measurements');
    const withheld = new Set(tags.filter((t) => !modelTagVerdict(t.valid).suggested).map((t) => t.tag));
    assert.ok(withheld.size > 0, 'the shipped model withholds some tags');
    const all = parseJsonOutput<SuggestJson>(runBetti(['--db', db, '--json', 'suggest']));
    for (const t of all.tracks) {
      for (const s of t.suggestions) {
        assert.ok(s.threshold !== null && s.confidence >= s.threshold, `${t.path}: ${s.tag} ${s.confidence} ≥ ${s.threshold}`);
        assert.ok(!withheld.has(s.tag), `${t.path}: ${s.tag} is below the quality bar and must not be suggested`);
      }
    }
    const total = all.tracks.reduce((n, t) => n + t.suggestions.length, 0);
    const suggestionsInDb = query<{ n: number }>(db, "SELECT count(*) AS n FROM suggestions WHERE decision = 'pending'")[0]!.n;
    assert.equal(total, suggestionsInDb);
    const strict = parseJsonOutput<SuggestJson>(runBetti(['--db', db, '--json', 'suggest', '--min-confidence', '0.999']));
    assert.ok(strict.tracks.every((t) => t.suggestions.every((s) => s.confidence >= 0.999)));
    const human = runBetti(['--db', db, 'suggest']);
    assert.equal(human.status, 0);
    if (total > 0) assert.match(human.stdout, /suggestion\(s\) for \d+ track\(s\)/);
    const bad = runBetti(['--db', db, 'suggest', '--min-confidence', '2']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--min-confidence must be a number from 0 to 1/);
  });

  test('analysis.result gives the inspector every tag, the windows and the pictures', async (t) => {
    const id = query<{ track_id: number }>(db, "SELECT track_id FROM analysis_queue WHERE state = 'done' ORDER BY track_id LIMIT 1")[0]!.track_id;
    const bus = new EventBus();
    const ctx = createContext({ dbPath: db, bus });
    t.after(() => ctx.close());
    const result: AnalysisResult = await createDirectClient(createService(ctx), bus)['analysis.result']({ trackId: id });
    assert.equal(result.trackId, id);
    assert.ok(result.tags.length > 0);
    for (const w of result.windows) assert.equal(w.probabilities.length, result.tags.length);
    assert.ok(result.display, 'pictures were stored');
    const [columns, bands] = result.display.logMel.shape as [number, number];
    assert.equal(bands, 128);
    assert.equal(Buffer.from(result.display.logMel.base64, 'base64').length, columns * bands);
    assert.equal(result.display.logMel.times.length, columns);
    const [windows, segments, channels, k, points] = result.display.landscapes.shape as [number, number, number, number, number];
    assert.equal(windows, result.windows.length);
    assert.deepEqual([channels, k, points], [64, 5, 10]);
    assert.equal(Buffer.from(result.display.landscapes.base64, 'base64').length, windows * segments * channels * k * points);
  });

  test('a second run has nothing to do, and a moved file is not analysed again', () => {
    const again = parseJsonOutput<AnalysisStatus>(runBetti(['--db', db, '--json', 'analyze', '--jobs', '1']));
    assert.equal(again.total, 0);
    assert.equal(again.analysed, 0);
    assert.equal(again.upToDate, 5);

    const music = join(dir, 'music');
    renameSync(join(music, 'track-01.flac'), join(music, 'renamed.flac'));
    const rescan = runBetti(['--db', db, '--json', 'scan', music]);
    assert.equal(parseJsonOutput<{ moved: number }>(rescan).moved, 1);
    const after = parseJsonOutput<AnalysisStatus>(runBetti(['--db', db, '--json', 'analyze', '--jobs', '1']));
    assert.equal(after.total, 0, 'nothing to analyse after the move');
    assert.equal(after.analysed, 0);
    const counts = query<{ computed_count: number }>(db, 'SELECT computed_count FROM analyses');
    assert.ok(counts.every((c) => c.computed_count === 1));
  });

  test('killed with SIGKILL mid-run, then run again: every track is analysed exactly once', async (t) => {
    const music = join(tempDir(t, 'betti-kill-'), 'music');
    const killDb = join(music, '..', 'library.db');
    const files = makeLibrary(music, 24, 3);
    assert.equal(runBetti(['--db', killDb, 'scan', music]).status, 0);

    const child = spawn(process.execPath, [bettiBin, '--db', killDb, 'analyze', '--jobs', '1', '--no-pictures'], { cwd: repoRoot, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const analysedSoFar = () => query<{ n: number }>(killDb, 'SELECT count(*) AS n FROM analyses')[0]!.n;
    const deadline = Date.now() + 90_000;
    while (analysedSoFar() < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const atKill = analysedSoFar();
    assert.ok(atKill >= 4 && atKill < files.length, `killed mid-run (${atKill} of ${files.length} analysed)`);

    const resumed = runBetti(['--db', killDb, '--json', 'analyze', '--jobs', '1', '--no-pictures']);
    assert.equal(resumed.status, 0, resumed.stderr);
    const s = parseJsonOutput<AnalysisStatus>(resumed);
    assert.equal(s.state, 'done');
    assert.equal(s.upToDate, atKill, 'what was stored before the kill is kept');
    assert.equal(s.analysed, files.length - atKill, 'only the rest is analysed');
    const rows = query<{ state: string; computed_count: number }>(
      killDb,
      'SELECT q.state, a.computed_count FROM analysis_queue q JOIN analyses a ON a.content_key = q.content_key AND a.model_version = q.model_version',
    );
    assert.equal(rows.length, files.length);
    assert.ok(rows.every((r) => r.state === 'done' && r.computed_count === 1), 'each track analysed exactly once');
  });
});
