// The folder is the layer (../shared/STYLE.md §1). These checks run the project's real ESLint
// configuration on small snippets placed at real paths, so a loosened rule fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/cli.ts';

const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layering', () => {
  it('refuses electron in the plain-Node core', async () => {
    const msgs = await restrictedImports("import { app } from 'electron';\nexport const a = app;\n", 'src-main/library/x.ts');
    assert.equal(msgs.length, 1);
    assert.match(msgs[0] ?? '', /Only src-main\/app\//);
  });

  it('allows electron in src-main/app', async () => {
    assert.deepEqual(await restrictedImports("import { app } from 'electron';\nexport const a = app;\n", 'src-main/app/x.ts'), []);
  });

  it('refuses the Electron glue from the core', async () => {
    const msgs = await restrictedImports("import { x } from '../app/main.ts';\nexport const y = x;\n", 'src-main/library/x.ts');
    assert.equal(msgs.length, 1);
  });

  it('lets the renderer import the contract and schemas but not core modules or Node', async () => {
    assert.deepEqual(await restrictedImports("import { methods } from '../../src-main/api/contract.ts';\nexport const m = methods;\n", 'src-renderer/lib/x.ts'), []);
    assert.deepEqual(await restrictedImports("import { AppInfo } from '../../src-main/api/schemas/app.ts';\nexport const m = AppInfo;\n", 'src-renderer/lib/x.ts'), []);
    assert.equal((await restrictedImports("import { defaultDbPath } from '../../src-main/library/paths.ts';\nexport const m = defaultDbPath;\n", 'src-renderer/lib/x.ts')).length, 1);
    assert.equal((await restrictedImports("import { readFileSync } from 'node:fs';\nexport const m = readFileSync;\n", 'src-renderer/lib/x.ts')).length, 1);
    assert.equal((await restrictedImports("import * as tf from '@tensorflow/tfjs';\nexport const m = tf;\n", 'src-renderer/lib/x.ts')).length, 1);
  });
});
