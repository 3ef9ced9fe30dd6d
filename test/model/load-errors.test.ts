// A broken model folder stops loading with an error that names the file and what is wrong: the
// class (ModelInvalidError / ModelVersionMismatch), its wire kind, and the path. Each case breaks
// a fresh copy of the shipped model.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { BettiError } from '../../src-main/api/errors.ts';
import { FEATURE_SPEC } from '../../src-main/features/spec.ts';
import { PCNN_CONFIG } from '../../src-main/model/config.ts';
import { ModelInvalidError, ModelVersionMismatch } from '../../src-main/model/errors.ts';
import { loadModel } from '../../src-main/model/load.ts';
import { copyShippedModel, editModelJson as editShippedCopy } from '../helpers/shipped-model.ts';

type Json = Record<string, unknown> & { weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[] };

const editModelJson = (dir: string, edit: (m: Json) => void): void => editShippedCopy<Json>(dir, edit);

/** Where the first network's weights are named in a copy's manifest (`m0/` when several ship). */
function firstMember(dir: string): string {
  const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { members?: number };
  return (m.members ?? 1) > 1 ? 'm0/' : '';
}

async function rejectsWith(t: TestContext, dir: string, cls: typeof ModelInvalidError | typeof ModelVersionMismatch, kind: string, file: string, message: RegExp): Promise<BettiError> {
  let caught: unknown;
  try {
    const m = await loadModel({ dir, backend: 'cpu' });
    m.dispose();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof cls, `expected ${cls.name}, got ${String(caught)}`);
  const err = caught as BettiError;
  assert.equal(err.kind, kind);
  assert.equal(err.path, join(dir, file), 'the error names the file');
  assert.match(err.message, message);
  assert.ok(err.message.includes(join(dir, file)), `the message names the file: ${err.message}`);
  assert.ok(err.hint, 'the error says what to do next');
  t.diagnostic(err.message);
  return err;
}

describe('loading a broken model folder', () => {
  it('names weights.bin when it is missing', async (t) => {
    const dir = copyShippedModel(t);
    rmSync(join(dir, 'weights.bin'));
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'weights.bin', /missing/);
  });

  it('says by how many bytes a truncated weights.bin falls short', async (t) => {
    const dir = copyShippedModel(t);
    const size = statSync(join(dir, 'weights.bin')).size;
    truncateSync(join(dir, 'weights.bin'), size - 1000);
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'weights.bin', new RegExp(`truncated: it holds ${size - 1000} bytes, the manifest needs ${size}`));
  });

  it('refuses a weights.bin with bytes the manifest does not describe', async (t) => {
    const dir = copyShippedModel(t);
    appendFileSync(join(dir, 'weights.bin'), Buffer.alloc(8));
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'weights.bin', /8 more than the manifest describes/);
  });

  it('names the weight whose shape in model.json does not fit the network', async (t) => {
    const dir = copyShippedModel(t);
    const name = `${firstMember(dir)}head/1/kernel`;
    editModelJson(dir, (m) => {
      const w = m.weightsManifest[0]!.weights.find((e) => e.name === name)!;
      w.shape = [512, 256];
    });
    const err = await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'model.json', new RegExp(`weight "${name}" has shape \\[512, 256\\], the network needs \\[512, 512\\]`));
    assert.equal((err as ModelInvalidError).where, name);
  });

  it('names a weight the network needs but the manifest lacks', async (t) => {
    const dir = copyShippedModel(t);
    const name = `${firstMember(dir)}out/bias`;
    editModelJson(dir, (m) => {
      m.weightsManifest[0]!.weights = m.weightsManifest[0]!.weights.filter((e) => e.name !== name);
    });
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'model.json', new RegExp(`lacks "${name}"`));
  });

  it('refuses a folder whose members do not match the networks its weights are named for', async (t) => {
    const dir = copyShippedModel(t);
    const members = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { members?: number }).members ?? 1;
    editModelJson(dir, (m) => {
      m.members = members + 1;
    });
    // One network more than the weights hold: its weights are missing, each named for it.
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'model.json', new RegExp(members === 1 ? 'weight "front/kernel" is not part of this network' : `lacks "m${members}/front/kernel"`));
  });

  it('names the weight whose uint8 range is unusable', async (t) => {
    const dir = copyShippedModel(t);
    editModelJson(dir, (m) => {
      const w = m.weightsManifest[0]!.weights[0]! as { quantization?: unknown };
      w.quantization = { dtype: 'uint8', min: -1, scale: 0, original_dtype: 'float32' };
    });
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'model.json', /weightsManifest\.0\.weights\.0\.quantization\.scale|greater than 0/);
  });

  it('refuses a model trained on another feature spec, naming both versions', async (t) => {
    const dir = copyShippedModel(t);
    editModelJson(dir, (m) => {
      m.specVersion = 'betti-features-0';
    });
    const err = await rejectsWith(t, dir, ModelVersionMismatch, 'version-mismatch', 'model.json', new RegExp(`trained for features betti-features-0, this Betti computes ${FEATURE_SPEC.version}`));
    assert.equal((err as ModelVersionMismatch).model, 'betti-features-0');
  });

  it('refuses a model of another layer graph or file format version', async (t) => {
    const layers = copyShippedModel(t);
    editModelJson(layers, (m) => {
      (m.config as { version: string }).version = 'pcnn-9';
    });
    await rejectsWith(t, layers, ModelVersionMismatch, 'version-mismatch', 'model.json', new RegExp(`layer graph pcnn-9, this Betti implements ${PCNN_CONFIG.version}`));
    const format = copyShippedModel(t);
    editModelJson(format, (m) => {
      m.formatVersion = 2;
    });
    await rejectsWith(t, format, ModelVersionMismatch, 'version-mismatch', 'model.json', /model file format 2, this Betti reads format 1/);
  });

  it('says a model.json of garbage is not JSON', async (t) => {
    const dir = copyShippedModel(t);
    writeFileSync(join(dir, 'model.json'), '{"format": "betti-pcnn", oops');
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'model.json', /not valid JSON/);
  });

  it('names the field of model.json that does not match the layout', async (t) => {
    const dir = copyShippedModel(t);
    editModelJson(dir, (m) => {
      (m.input as { standardisation: { std: number[] } }).standardisation.std[3] = -1;
    });
    const err = await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'model.json', /input\.standardisation\.std\.3/);
    assert.equal((err as ModelInvalidError).where, 'input.standardisation.std.3');
  });

  it('refuses rhythm lags that do not fit in a segment, and a head whose width does not match them', async (t) => {
    const long = copyShippedModel(t);
    editModelJson(long, (m) => {
      (m.config as { rhythm: { lags: number } }).rhythm.lags = 128;
    });
    const err = await rejectsWith(t, long, ModelInvalidError, 'model-invalid', 'model.json', /128 lags do not fit in a segment of 128 frames/);
    assert.equal((err as ModelInvalidError).where, 'config.rhythm.lags');
    const fewer = copyShippedModel(t);
    editModelJson(fewer, (m) => {
      (m.config as { rhythm: { lags: number } }).rhythm.lags = 32;
    });
    await rejectsWith(t, fewer, ModelInvalidError, 'model-invalid', 'model.json', /head\/0\/kernel/);
  });

  it('names tags.json when it is garbage or lists another number of tags', async (t) => {
    const garbage = copyShippedModel(t);
    writeFileSync(join(garbage, 'tags.json'), 'not json at all');
    await rejectsWith(t, garbage, ModelInvalidError, 'model-invalid', 'tags.json', /not valid JSON/);
    const short = copyShippedModel(t);
    const tags = JSON.parse(readFileSync(join(short, 'tags.json'), 'utf8')) as unknown[];
    writeFileSync(join(short, 'tags.json'), JSON.stringify(tags.slice(1)));
    await rejectsWith(t, short, ModelInvalidError, 'model-invalid', 'tags.json', new RegExp(`lists ${tags.length - 1} tags, model.json says the network has ${tags.length}`));
  });

  it('names the tag whose category disagrees with its other tags on being exclusive', async (t) => {
    const dir = copyShippedModel(t);
    const tags = JSON.parse(readFileSync(join(dir, 'tags.json'), 'utf8')) as { tag: string; exclusive?: boolean }[];
    const fast = tags.findIndex((x) => x.tag === 'fast');
    tags[fast]!.exclusive = false;
    writeFileSync(join(dir, 'tags.json'), JSON.stringify(tags));
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'tags.json', /tags of category "tempo" disagree on whether it is exclusive/);
  });

  it('names the weight that holds a NaN', async (t) => {
    const dir = copyShippedModel(t);
    const name = `${firstMember(dir)}front/kernel`;
    // The first weight, front/kernel, rewritten as float32 (a uint8 value cannot be NaN), its first value NaN.
    let values = 0;
    let storedBytes = 0;
    editModelJson(dir, (m) => {
      const w = m.weightsManifest[0]!.weights[0]! as { name: string; shape: number[]; quantization?: { dtype: string } };
      assert.equal(w.name, name);
      values = w.shape.reduce((a, b) => a * b, 1);
      storedBytes = values * ({ uint8: 1, float16: 2 }[w.quantization?.dtype ?? ''] ?? 4);
      delete w.quantization;
    });
    const rest = readFileSync(join(dir, 'weights.bin')).subarray(storedBytes);
    const first = Buffer.alloc(4 * values);
    first.writeFloatLE(NaN, 0);
    writeFileSync(join(dir, 'weights.bin'), Buffer.concat([first, rest]));
    await rejectsWith(t, dir, ModelInvalidError, 'model-invalid', 'weights.bin', new RegExp(`weight "${name}" holds a non-finite value \\(NaN\\) at index 0`));
  });

  it('names the missing model.json of an architecture the folder does not hold', async (t) => {
    const dir = copyShippedModel(t); // no subfolders: only the default network
    const other = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { architecture: string }).architecture === 'pcnn' ? 'fcn' : 'pcnn';
    let caught: unknown;
    await loadModel({ dir, architecture: other as 'pcnn' | 'fcn', backend: 'cpu' }).catch((err: unknown) => (caught = err));
    assert.ok(caught instanceof ModelInvalidError);
    assert.equal(caught.path, join(dir, other, 'model.json'));
    assert.match(caught.message, /missing/);
  });
});
