// The model in resources/model/ matches the code that will run it: same feature spec, same layer
// config, a weights file that is exactly what its manifest describes, the data set's vocabulary.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FEATURE_SPEC, INPUT_BANDS } from '../../src-main/features/spec.ts';
import { PCNN_CONFIG, chromaSize, landscapeSize, rhythmSize } from '../../src-main/model/config.ts';
import { readModelJson } from '../../src-main/model/model-files.ts';

const root = fileURLToPath(new URL('../../resources/model/', import.meta.url));
const dataTags = fileURLToPath(new URL('../../../shared/data/tags.json', import.meta.url));

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}
interface ModelJson {
  format: string;
  specVersion: string;
  architecture: 'pcnn' | 'fcn';
  members?: number;
  config: unknown;
  tags: number;
  input: { standardisation: { mean: number[]; std: number[] } };
  window: { frames: number; shortInput: string };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}

const folders = existsSync(join(root, 'model.json')) ? [root, ...readdirSync(root).map((d) => join(root, d)).filter((d) => statSync(d).isDirectory())] : [];

describe('the shipped model (resources/model)', () => {
  it('exists with a model card', () => {
    assert.ok(folders.length >= 1, `no ${root}model.json; run \`npm run train\``);
    assert.ok(existsSync(join(root, 'MODEL_CARD.md')));
  });

  for (const dir of folders) {
    const label = dir === root ? 'default' : dir.slice(root.length);
    it(`${label}: was trained on this feature spec and layer config`, () => {
      const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
      assert.equal(m.format, 'betti-pcnn');
      assert.equal(m.specVersion, FEATURE_SPEC.version);
      // As the loader reads it: a field added to the config since the export takes its default.
      assert.deepEqual(readModelJson(dir).config, PCNN_CONFIG);
      assert.equal(m.input.standardisation.mean.length, INPUT_BANDS);
      assert.ok(m.input.standardisation.std.every((s) => s > 0));
      const f = PCNN_CONFIG.frontEnd;
      assert.equal(m.window.frames, PCNN_CONFIG.segment.steps * f.poolTime + f.frames - 1);
      assert.equal(m.window.shortInput, 'loop');
    });

    it(`${label}: weights.bin is exactly what the manifest describes and stays under 16 MB, every member`, () => {
      const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
      const group = m.weightsManifest[0]!;
      const bytesPer = (w: WeightEntry) => ({ uint8: 1, float16: 2 })[w.quantization?.dtype ?? ''] ?? 4;
      const bytes = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * bytesPer(w), 0);
      const size = statSync(join(dir, group.paths[0]!)).size;
      assert.equal(size, bytes);
      assert.ok(size <= 16 * 1024 * 1024, `${size} bytes`);
      const members = m.members ?? 1;
      const byName = new Map(group.weights.map((w) => [w.name, w.shape]));
      const width = PCNN_CONFIG.convBranch.channels + (m.architecture === 'pcnn' ? landscapeSize() : 0) + rhythmSize() + chromaSize();
      for (let i = 0; i < members; i++) {
        const p = members > 1 ? `m${i}/` : '';
        assert.deepEqual(byName.get(`${p}front/kernel`), [PCNN_CONFIG.frontEnd.frames, PCNN_CONFIG.frontEnd.bands, PCNN_CONFIG.frontEnd.filters]);
        assert.deepEqual(byName.get(`${p}chroma/kernel`), [FEATURE_SPEC.chroma.bins, PCNN_CONFIG.chroma.profiles]);
        assert.deepEqual(byName.get(`${p}head/0/kernel`), [width, PCNN_CONFIG.head.units[0]]);
        assert.deepEqual(byName.get(`${p}out/kernel`), [PCNN_CONFIG.head.units.at(-1), m.tags]);
      }
      assert.equal(byName.size, group.weights.length, 'no weight is listed twice');
      assert.equal(group.weights.length % members, 0);
    });

    it(`${label}: tags.json lists the data set's vocabulary in order, each with a threshold in (0, 1)`, (t) => {
      const tags = JSON.parse(readFileSync(join(dir, 'tags.json'), 'utf8')) as { tag: string; category: string; threshold: number }[];
      for (const x of tags) assert.ok(x.threshold > 0 && x.threshold < 1, `${x.tag}: ${x.threshold}`);
      if (!existsSync(dataTags)) {
        t.skip('../shared/data is absent; CI has it');
        return;
      }
      const vocab = JSON.parse(readFileSync(dataTags, 'utf8')) as { tag: string; category: string }[];
      assert.deepEqual(tags.map(({ tag, category }) => ({ tag, category })), vocab);
    });

    it(`${label}: tags.json marks tempo, mode and texture exclusive, and nothing else`, () => {
      // The categories whose tags the data defines as disjoint (training/pcnn/data.py EXCLUSIVE_CATEGORIES).
      const tags = JSON.parse(readFileSync(join(dir, 'tags.json'), 'utf8')) as { tag: string; category: string; exclusive?: boolean }[];
      const exclusive = new Set(tags.filter((x) => x.exclusive).map((x) => x.category));
      assert.deepEqual([...exclusive].sort(), ['mode', 'tempo', 'texture']);
      for (const x of tags) assert.equal(x.exclusive, exclusive.has(x.category), `${x.tag} (${x.category})`);
    });
  }
});

