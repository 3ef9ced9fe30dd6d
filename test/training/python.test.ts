// Runs the PyTorch trainer's own tests (training/tests/*.py, unittest) under the Debian Python,
// so `npm test` covers the landscape layer against GUDHI and the TypeScript layer, the masked loss
// and metrics, batch-norm folding, and a quick train + export smoke run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const training = fileURLToPath(new URL('../../training/', import.meta.url));
const python = process.env.BETTI_PYTHON ?? '/usr/bin/python3';
const modules = readdirSync(`${training}tests`)
  .filter((f) => /^test_.*\.py$/.test(f))
  .sort()
  .map((f) => f.replace(/\.py$/, ''));

const probe = spawnSync(python, ['-c', 'import torch, gudhi, numpy'], { encoding: 'utf8' });
const missing = !existsSync(python) || probe.status !== 0;
const why = `needs ${python} with python3-torch, python3-gudhi and python3-numpy (Debian packages): ${probe.stderr?.trim().split('\n').at(-1) ?? 'not found'}`;

describe('the PyTorch trainer (training/tests)', () => {
  it('has test modules to run', () => assert.ok(modules.length >= 5, modules.join(', ')));
  for (const mod of modules) {
    it(`passes ${mod}.py`, { skip: missing ? why : false, timeout: 180_000 }, () => {
      const r = spawnSync(python, ['-m', 'unittest', '-v', `tests.${mod}`], {
        cwd: training,
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' },
      });
      assert.equal(r.status, 0, `${mod} failed:\n${r.stderr}\n${r.stdout}`);
      assert.match(r.stderr, /^OK/m);
    });
  }
});
