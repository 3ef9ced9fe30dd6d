// The type check and the lint are part of the one test command, so CI catches a type error or a
// layering violation the same way it catches a failing test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/cli.ts';

function run(bin: string, args: string[]) {
  return spawnSync(process.execPath, [`${repoRoot}node_modules/${bin}`, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
}

describe('static checks', () => {
  it('type-checks src-main, test, bench and training under strict TypeScript', () => {
    const r = run('typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('type-checks the Svelte renderer', () => {
    const r = run('svelte-check/bin/svelte-check', ['--tsconfig', './src-renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('type-checks the renderer tests', () => {
    const r = run('svelte-check/bin/svelte-check', ['--tsconfig', './test/renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('passes the lint (typescript-eslint, layering rules)', () => {
    const r = run('eslint/bin/eslint.js', ['.']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
