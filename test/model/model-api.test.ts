// model.* through the contract (the direct transport validates requests and responses like IPC and
// HTTP do): what the model is, per-file results with optional embedding and pictures, progress.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createContext } from '../../src-main/api/context.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import { EventBus } from '../../src-main/api/events.ts';
import type { ModelTag } from '../../src-main/model/model-files.ts';
import { createService } from '../../src-main/api/service.ts';
import { modelTagVerdict } from '../../src-main/model/quality-bar.ts';
import { makeAudio } from '../helpers/ffmpeg-fixtures.ts';
import { shippedModelDir } from '../helpers/shipped-model.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FEATURE_SPEC } from '../../src-main/features/spec.ts';

function directClient() {
  const bus = new EventBus();
  const context = createContext({ dbPath: ':memory:', bus });
  return { client: createDirectClient(createService(context), bus), close: () => context.close() };
}

describe('model.* methods', () => {
  it('model.info names the versions, the backend in use, both networks and every tag with its threshold and whether it is suggested', async () => {
    const { client, close } = directClient();
    try {
      const info = await client['model.info']({});
      const json = JSON.parse(readFileSync(join(shippedModelDir, 'model.json'), 'utf8')) as { modelVersion: string; architecture: string; members?: number };
      assert.equal(info.modelVersion, json.modelVersion);
      assert.equal(info.members, json.members ?? 1, 'as many networks as model.json ships');
      assert.equal(info.specVersion, FEATURE_SPEC.version);
      assert.equal(info.architecture, json.architecture);
      assert.deepEqual([...info.available].sort(), ['fcn', 'pcnn']);
      assert.equal(info.available[0], json.architecture, 'the default network first');
      // tfjs-node is optional (not installed on the build machines): then wasm, saying why.
      if (info.backend === 'wasm') assert.deepEqual(info.backendNotes, [{ backend: 'tfjs-node', reason: 'the package is not installed' }]);
      else assert.deepEqual([info.backend, info.backendNotes], ['tfjs-node', []]);
      assert.deepEqual(info.window, { frames: 135, seconds: 4.32 });
      const shipped = JSON.parse(readFileSync(join(shippedModelDir, 'tags.json'), 'utf8')) as ModelTag[];
      assert.deepEqual(
        info.tags,
        shipped.map((t) => {
          const verdict = modelTagVerdict(t.valid);
          return { tag: t.tag, category: t.category, threshold: t.threshold, suggested: verdict.suggested, quality: verdict.quality };
        }),
      );
      assert.ok(info.tags.some((t) => !t.suggested && /^validation /.test(t.quality)), 'tags below the quality bar say so');
    } finally {
      close();
    }
  });

  it('model.predict returns embeddings and pictures on request, per-file errors, and progress events', async (t) => {
    const dir = tempDir(t);
    const wav = makeAudio(dir, 'tone', 'wav', { exprs: '0.4*sin(2*PI*330*t)', seconds: 12 });
    const bus = new EventBus();
    const context = createContext({ dbPath: ':memory:', bus });
    const c = createDirectClient(createService(context), bus);
    const progress: number[] = [];
    bus.on('model.progress', (p) => progress.push(p.done));
    try {
      const r = await c['model.predict']({ paths: [wav, join(dir, 'gone.wav')], embedding: true, display: true, architecture: 'fcn' });
      assert.equal(r.architecture, 'fcn');
      const [ok, failed] = r.results;
      assert.ok(ok?.ok);
      assert.equal(ok.embedding?.length, 512);
      assert.equal(ok.windows, 2);
      assert.ok(ok.display && ok.display.logMel.columns > 0);
      assert.deepEqual(ok.display.landscapes, [[], []], 'the FCN has no landscape pictures');
      assert.ok(failed && !failed.ok);
      assert.equal(failed.error.kind, 'not-found');
      assert.deepEqual(progress, [0, 1, 2]);
      await assert.rejects(c['model.predict']({ paths: [] }), (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request');
      await assert.rejects(c['model.predict']({ paths: [wav], maxWindows: 0 }), (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request');
    } finally {
      context.close();
    }
  });
});
