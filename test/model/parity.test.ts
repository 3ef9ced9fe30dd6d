// The tfjs network reproduces PyTorch: every shipped model (the default and the other
// architecture) is run on the fixed inputs training/export.py wrote into parity.json, on the wasm
// and the cpu backends, and every output PyTorch recorded must match to the file's tolerance (1e-4).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadModel, loadTf, type Backend } from '../../src-main/model/load.ts';
import { predictWindows } from '../../src-main/model/predict.ts';
import { shippedModelDir, shippedModelFolders } from '../helpers/shipped-model.ts';

interface ParityCase {
  what: string;
  frames: number;
  bands: number;
  standardised: boolean;
  input: number[];
  segments: number;
  probabilities: number[];
  segmentLogits: number[];
  embedding: number[];
  convBranch: number[];
  landscapeBranch: number[] | null;
  rhythmBranch: number[] | null;
  chromaBranch: number[] | null;
}
interface ParityFile {
  architecture: 'pcnn' | 'fcn';
  modelVersion: string;
  tolerance: number;
  cases: ParityCase[];
}

function assertClose(actual: ArrayLike<number>, expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  assert.ok(worst <= tolerance, `${what}: |tfjs − PyTorch| reaches ${worst} at index ${at} (tfjs ${actual[at]}, PyTorch ${expected[at]}), tolerance ${tolerance}`);
}

const folders = shippedModelFolders();

describe('tfjs parity with the PyTorch model (parity.json)', () => {
  it('has a shipped model with both architectures to check', () => {
    assert.ok(folders.length >= 1, `no model in ${shippedModelDir}; run \`npm run train\``);
    const archs = folders.map((dir) => (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { architecture: string }).architecture);
    assert.deepEqual([...archs].sort(), ['fcn', 'pcnn']);
  });

  for (const dir of folders) {
    const parity = JSON.parse(readFileSync(join(dir, 'parity.json'), 'utf8')) as ParityFile;
    for (const backend of ['wasm', 'cpu'] as Backend[]) {
      it(`${parity.architecture} on ${backend}: reproduces probabilities, segment logits, embedding and every branch to ${parity.tolerance}`, async () => {
        const tf = await loadTf();
        const before = tf.memory().numTensors;
        const model = await loadModel({ dir, backend });
        const tensorsWithModel = tf.memory().numTensors;
        try {
          assert.equal(model.backend, backend);
          assert.equal(model.architecture, parity.architecture);
          assert.equal(model.modelVersion, parity.modelVersion);
          assert.ok(parity.cases.length >= 3);
          assert.ok(parity.tolerance <= 1e-4);
          // All cases in one call: equal lengths share a batch, as the app runs them.
          const outputs = await predictWindows(
            model,
            parity.cases.map((c) => {
              assert.equal(c.standardised, false, 'parity inputs are raw features (log-mel and chroma)');
              return { frames: c.frames, bands: c.bands, data: Float32Array.from(c.input) };
            }),
          );
          parity.cases.forEach((c, i) => {
            const o = outputs[i]!;
            assert.equal(o.segments, c.segments, `${c.what}: segments`);
            assertClose(o.probabilities, c.probabilities, parity.tolerance, `${c.what}: probabilities`);
            assertClose(o.segmentLogits, c.segmentLogits, parity.tolerance, `${c.what}: segment logits`);
            assertClose(o.embedding, c.embedding, parity.tolerance, `${c.what}: embedding`);
            assertClose(o.convBranch, c.convBranch, parity.tolerance, `${c.what}: conv branch`);
            if (c.landscapeBranch === null) assert.equal(o.landscapeBranch, null, `${c.what}: the FCN has no landscape branch`);
            else assertClose(o.landscapeBranch!, c.landscapeBranch, parity.tolerance, `${c.what}: landscape branch`);
            if (c.rhythmBranch === null) assert.equal(o.rhythmBranch, null, `${c.what}: a network without the rhythm branch`);
            else assertClose(o.rhythmBranch!, c.rhythmBranch, parity.tolerance, `${c.what}: rhythm branch`);
            if (c.chromaBranch === null) assert.equal(o.chromaBranch, null, `${c.what}: a network without the chroma branch`);
            else assertClose(o.chromaBranch!, c.chromaBranch, parity.tolerance, `${c.what}: chroma branch`);
          });
          assert.equal(tf.memory().numTensors, tensorsWithModel, 'a forward pass leaves no tensor behind');
        } finally {
          model.dispose();
        }
        assert.equal(tf.memory().numTensors, before, 'dispose() frees the weights');
      });
    }
  }
});
