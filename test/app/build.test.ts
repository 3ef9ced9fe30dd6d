// scripts/build-app.js really run (esbuild works here; only the Electron binary does not): the
// bundles land where package.json and the packaging expect them, the preload needs nothing a
// sandboxed preload cannot have, and the main bundle needs nothing the packaged app lacks.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ANALYSIS_WORKER_BUNDLE, MAIN_BUNDLE, PRELOAD_BUNDLE, READ_WORKER_BUNDLE, SANDBOXED_PRELOAD_MODULES } from '../../src-main/app/bundle-layout.ts';
import type { EncodedTrack } from '../../src-main/library/db/queries/tracks.ts';
import { startReadPool } from '../../src-main/library/read-pool.ts';
import { encode, fixtureFormats } from '../helpers/library-fixtures.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Built {
  main: string;
  preload: string;
  analysisWorker: string;
  readWorker: string;
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/** The package a bare specifier names: "a/b" → "a", "@s/a/b" → "@s/a". */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

describe('the desktop app build', () => {
  // Built inside the repository (test-output/ is ignored): a bundle resolves its packages by
  // walking up from where it sits, as it does from out/main/ in the app.
  const buildRoot = join(repoRoot, 'test-output', `build-${process.pid}`);
  const out = join(buildRoot, 'out');
  after(() => rmSync(buildRoot, { recursive: true, force: true }));
  let built: Built;
  let mainCode = '';
  let preloadCode = '';
  let workerCode = '';

  before(async () => {
    const { buildApp } = (await import(pathToFileURL(join(repoRoot, 'scripts/build-app.js')).href)) as { buildApp: (o: { outDir: string; renderer: boolean }) => Promise<Built> };
    built = await buildApp({ outDir: out, renderer: false });
    mainCode = readFileSync(built.main, 'utf8');
    preloadCode = readFileSync(built.preload, 'utf8');
    workerCode = readFileSync(built.analysisWorker, 'utf8');
  });

  it('writes out/main/main.js and out/main/preload.cjs, where package.json and the app look', () => {
    assert.ok(built.main.endsWith(join('out', 'main', 'main.js')), built.main);
    assert.ok(built.preload.endsWith(join('out', 'main', 'preload.cjs')), built.preload);
    assert.ok(existsSync(built.main) && existsSync(built.preload));
    assert.equal(pkg.main, MAIN_BUNDLE);
    assert.ok(PRELOAD_BUNDLE.endsWith('.cjs'), 'the preload is CommonJS by its name too ("type": "module" makes .js ESM)');
  });

  it('has npm scripts that build and launch, and build and package', () => {
    assert.equal(pkg.scripts.start, 'node scripts/start.js');
    assert.equal(pkg.scripts.dist, 'node scripts/build-app.js && electron-builder --config electron.config.ts');
  });

  it('bundles a preload that requires only electron: no Node module, no ESM syntax', () => {
    const required = [...preloadCode.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['electron']);
    for (const r of required) assert.ok((SANDBOXED_PRELOAD_MODULES as readonly string[]).includes(r ?? ''));
    assert.doesNotMatch(preloadCode, /\brequire\(\s*[a-zA-Z_$]/, 'no computed require');
    assert.doesNotMatch(preloadCode, /["'`]node:[a-z]/, 'no node: specifier anywhere');
    assert.doesNotMatch(preloadCode, /^\s*(import|export)\s[^(]/m, 'no ESM statements: a sandboxed preload is a plain script');
    assert.doesNotMatch(preloadCode, /process\.(binding|dlopen)|child_process|__non_webpack_require__/);
  });

  it('leaves in the main bundle only imports the packaged app can resolve', () => {
    const specifiers = new Set<string>();
    // Static imports are whole statements at the start of a line in esbuild's output; matching
    // only those keeps a "… from "…" inside a string or template from reading as an import.
    for (const re of [/^\s*(?:import|export)\b[^;"'`]*?\bfrom\s*"([^"]+)"/gm, /^\s*import\s*"([^"]+)"/gm, /\bimport\(\s*"([^"]+)"\s*\)/g, /\brequire\(\s*"([^"]+)"\s*\)/g, /createRequire\d*\([^)]*\)\)\(\s*"([^"]+)"\s*\)/g]) {
      for (const m of mainCode.matchAll(re)) if (m[1]) specifiers.add(m[1]);
    }
    assert.ok(specifiers.has('electron') && specifiers.has('zod'), 'the scan sees the bundle’s imports');
    const shipped = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const unresolvable = [...specifiers].filter((s) => {
      if (s.startsWith('.')) return false;
      if (s === 'electron' || s.startsWith('node:') || builtins.has(s)) return false;
      return !shipped.has(packageOf(s));
    });
    assert.deepEqual(unresolvable, [], 'each of these is imported by the app but is not a production dependency in package.json, so `npm run dist` would not ship it');
  });

  it('bundles the analysis worker as its own ESM file: no electron import, the model and wasm found through rewritten locations', () => {
    assert.ok(built.analysisWorker.endsWith(join(...ANALYSIS_WORKER_BUNDLE.split('/').slice(1))), built.analysisWorker);
    assert.doesNotMatch(workerCode, /from\s*"electron"/, 'the child gets process.parentPort, not the electron module');
    assert.doesNotMatch(workerCode, /\bimport\.meta\.url\b(?!\))/, 'every import.meta.url sits inside a rewritten new URL(…)');
    const asShipped = pathToFileURL(join(repoRoot, ANALYSIS_WORKER_BUNDLE));
    const rewritten = [...workerCode.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)].map((m) => fileURLToPath(new URL(m[1] ?? '', asShipped)));
    assert.ok(rewritten.includes(join(repoRoot, 'src-main/model/install-paths.ts')), 'install-paths.ts (wasmDir, defaultModelDir) keeps its location');
  });

  it('bundles the scan’s read worker as its own file, since src-main is not shipped', () => {
    assert.ok(built.readWorker.endsWith(join(...READ_WORKER_BUNDLE.split('/').slice(1))), built.readWorker);
    const code = readFileSync(built.readWorker, 'utf8');
    assert.doesNotMatch(code, /from\s*"electron"/);
    assert.doesNotMatch(code, /(?:\bimport\(\s*|\bfrom\s*)"[^"]+\.ts"/, 'no TypeScript module is loaded at run time: the packaged app has none');
    assert.match(code, /\bimport\("music-metadata"\)/, 'packages stay external: electron-builder ships node_modules');
  });

  it('reads files with the bundled read worker, as the packaged app’s scan does', async () => {
    const dir = tempDir({ after }, 'betti-read-bundle-');
    const files = (['mp3', 'flac'] as const).map((k, i) => encode(dir, `piece${i}`, fixtureFormats[k]!, { seconds: 0.3, metadata: { title: `Piece ${i}` } }));
    const records: EncodedTrack[] = [];
    const pool = startReadPool({ workers: 1, script: pathToFileURL(built.readWorker) }, (_job, record) => records.push(record));
    for (const path of files) {
      const st = statSync(path);
      pool.add({ path, size: st.size, mtimeMs: st.mtimeMs });
    }
    await pool.finish();
    assert.deepEqual(records.map((r) => r.path).sort(), files);
    for (const [i, r] of records.sort((a, b) => a.path.localeCompare(b.path)).entries()) {
      assert.equal(r.error, null, r.path);
      assert.match(r.fingerprint ?? '', /^[0-9a-f]{64}$/);
      assert.ok(r.columns.includes(`Piece ${i}`), `the title of ${r.path} was read`);
    }
  });

  it('keeps each core module’s own location: every import.meta.url names its source file in the app root', () => {
    const total = mainCode.match(/import\.meta\.url/g)?.length ?? 0;
    const rewritten = [...mainCode.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)].map((m) => m[1] ?? '');
    assert.ok(total > 0);
    assert.equal(rewritten.length, total, 'no bare import.meta.url is left: it would name the bundle instead of the module');
    // As shipped, the bundle sits at MAIN_BUNDLE in the app root; each URL must land on the source file.
    const asShipped = pathToFileURL(join(repoRoot, MAIN_BUNDLE));
    for (const rel of rewritten) {
      const file = fileURLToPath(new URL(rel, asShipped));
      assert.ok(file.startsWith(join(repoRoot, 'src-main')) && existsSync(file), `${rel} → ${file}`);
    }
  });

  it('finds package.json from the bundled core the same way the source does', () => {
    // api/handlers/app.ts reads ../../../package.json relative to itself: from the bundle's
    // rewritten location that is the app root's package.json (inside app.asar when packaged).
    const m = /new URL\("([^"]*api\/handlers\/app\.ts)", import\.meta\.url\)\.href\)\("([^"]+)"\)/.exec(mainCode);
    assert.ok(m, 'the app handler locates package.json through its own URL');
    const handler = new URL(m[1] ?? '', pathToFileURL(join(repoRoot, MAIN_BUNDLE)));
    assert.equal(fileURLToPath(new URL(m[2] ?? '', handler)), join(repoRoot, 'package.json'));
  });
});
