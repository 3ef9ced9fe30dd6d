// electron.config.ts loaded as data: every file and pattern it names exists, the icons are real
// PNGs of the sizes each platform needs, and the app's data folder is the one Electron would
// give a "Betti" app (test/app/packaging.test.ts runs electron-builder on it for real).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, matchesGlob, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import config, { asarUnpack } from '../../electron.config.ts';
import { appPaths } from '../../src-main/app/app-paths.ts';
import { ANALYSIS_WORKER_BUNDLE, DEMO_DIR, ICONS_DIR, MAIN_BUNDLE, MODEL_DIR, PRELOAD_BUNDLE, READ_WORKER_BUNDLE, RENDERER_DIR, WINDOW_ICON } from '../../src-main/app/bundle-layout.ts';
import { defaultDataDir } from '../../src-main/library/paths.ts';
import { repoRoot } from '../helpers/cli.ts';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; productName: string; main: string };

/** Width and height from a PNG's IHDR chunk; fails for anything that is not a PNG. */
function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${path} is a PNG`);
  assert.equal(b.subarray(12, 16).toString('ascii'), 'IHDR');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

/** Files of the repository a pattern matches, found under the pattern's literal prefix. */
function matching(pattern: string): string[] {
  const literal: string[] = [];
  for (const part of pattern.split('/')) {
    if (/[*?[{]/.test(part)) break;
    literal.push(part);
  }
  const base = join(repoRoot, ...literal);
  if (!existsSync(base)) return [];
  const candidates = statSync(base).isFile()
    ? [base]
    : readdirSync(base, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name));
  return candidates.map((f) => relative(repoRoot, f).split(sep).join('/')).filter((rel) => matchesGlob(rel, pattern));
}

describe('electron-builder configuration', () => {
  it('names the app as package.json does', () => {
    assert.equal(config.productName, 'Betti');
    assert.equal(pkg.productName, config.productName);
    assert.equal(config.appId, 'app.betti.tagger');
  });

  it('builds AppImage and deb for Linux, nsis for Windows, dmg for macOS', () => {
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.deepEqual(config.win?.target, ['nsis']);
    assert.deepEqual(config.mac?.target, ['dmg']);
    assert.ok(config.linux?.maintainer, 'a .deb needs a maintainer');
  });

  it('packs the bundles package.json and the app load', () => {
    const files = (config.files ?? []) as string[];
    for (const built of [MAIN_BUNDLE, PRELOAD_BUNDLE, ANALYSIS_WORKER_BUNDLE, READ_WORKER_BUNDLE, `${RENDERER_DIR}/index.html`, `${RENDERER_DIR}/assets/index.js`, WINDOW_ICON, `${MODEL_DIR}/model.json`, `${DEMO_DIR}/LICENSE.md`, `${DEMO_DIR}/01-piano-waltz.ogg`]) {
      assert.ok(files.some((p) => !p.startsWith('!') && matchesGlob(built, p)), `${built} is included`);
    }
    assert.ok(files.includes('!**/*.map'), 'source maps stay out');
    assert.equal(pkg.main, MAIN_BUNDLE);
  });

  it('names only source files and icons that exist', () => {
    for (const pattern of ((config.files ?? []) as string[]).filter((p) => !p.startsWith('!') && !p.startsWith('out/'))) {
      assert.ok(matching(pattern).length > 0, `${pattern} matches files in the repository`);
    }
    for (const icon of [config.win?.icon, config.mac?.icon, config.dmg?.icon]) {
      assert.ok(typeof icon === 'string' && existsSync(join(repoRoot, icon)), String(icon));
    }
    assert.ok(existsSync(join(repoRoot, WINDOW_ICON)));
  });

  it('leaves in asar.unpacked patterns that each match real files: model, tfjs wasm, ffmpeg, demo library', () => {
    assert.deepEqual(config.asarUnpack, asarUnpack);
    for (const pattern of asarUnpack) assert.ok(matching(pattern).length > 0, `${pattern} matches files`);
    const all = asarUnpack.flatMap(matching);
    assert.ok(all.includes(`${MODEL_DIR}/model.json`));
    assert.ok(all.includes(`${DEMO_DIR}/LICENSE.md`) && all.includes(`${DEMO_DIR}/01-piano-waltz.ogg`), 'the demo is copied from a real folder');
    assert.ok(all.includes('node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    assert.ok(all.some((f) => /^node_modules\/@ffmpeg-installer\/[^/]+\/ffmpeg(\.exe)?$/.test(f)));
  });

  it('ships icons that are square PNGs of the size in their names, big enough for every platform', () => {
    const names = readdirSync(join(repoRoot, ICONS_DIR)).filter((n) => n.endsWith('.png'));
    assert.ok(names.length >= 5);
    for (const name of names) {
      const m = /^(\d+)x(\d+)\.png$/.exec(name);
      assert.ok(m, `${name} is named NxN.png for the Linux icon set`);
      assert.deepEqual(pngSize(join(repoRoot, ICONS_DIR, name)), [Number(m[1]), Number(m[2])], name);
    }
    assert.equal(config.linux?.icon, ICONS_DIR);
    assert.ok(pngSize(join(repoRoot, String(config.mac?.icon)))[0] >= 512, 'macOS needs at least 512 px');
    assert.ok(pngSize(join(repoRoot, String(config.win?.icon)))[0] >= 256, 'Windows needs at least 256 px');
  });
});

describe("the desktop app's data folder", () => {
  // Electron's appData per platform (app.getPath docs); userData is appData/<productName>.
  const electronUserData: Record<string, (env: NodeJS.ProcessEnv, home: string) => string> = {
    linux: (env, home) => join(env.XDG_CONFIG_HOME ?? join(home, '.config'), pkg.productName),
    darwin: (_env, home) => join(home, 'Library', 'Application Support', pkg.productName),
    win32: (env) => join(env.APPDATA ?? '', pkg.productName),
  };

  it("is where Electron puts a packaged Betti's userData, on every platform", () => {
    const home = (process.env.HOME ?? process.env.USERPROFILE ?? '').replace(/[\\/]$/, '');
    const cases: [NodeJS.Platform, NodeJS.ProcessEnv][] = [
      ['linux', {}],
      ['linux', { XDG_CONFIG_HOME: '/custom/config' }],
      ['darwin', {}],
      ['win32', { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }],
    ];
    for (const [platform, env] of cases) {
      const expected = electronUserData[platform]?.(env, home);
      assert.equal(defaultDataDir(env, platform), expected, `${platform} ${JSON.stringify(env)}`);
      assert.equal(appPaths('/app', env, platform).dataDir, expected);
    }
  });

  it('is shared with the CLI: the same library.db, and BETTI_DATA_DIR / BETTI_DB move both', () => {
    const paths = appPaths('/app', { BETTI_DATA_DIR: '/data/betti' }, 'linux');
    assert.equal(paths.dbPath, join('/data/betti', 'library.db'));
    assert.equal(paths.stateFile, join('/data/betti', 'app-state.json'));
    assert.equal(paths.sessionDataDir, join('/data/betti', 'Chromium'));
    assert.equal(appPaths('/app', { BETTI_DB: '/elsewhere/lib.db' }, 'linux').dbPath, '/elsewhere/lib.db');
  });

  it('finds its own files relative to the app root, inside app.asar or not', () => {
    const packaged = appPaths('/opt/Betti/resources/app.asar', {}, 'linux');
    assert.equal(packaged.preloadPath, '/opt/Betti/resources/app.asar/out/main/preload.cjs');
    assert.equal(packaged.rendererDir, '/opt/Betti/resources/app.asar/out/renderer');
    assert.equal(packaged.analysisWorker, '/opt/Betti/resources/app.asar/out/main/analysis-worker.js');
    assert.equal(packaged.readWorker, '/opt/Betti/resources/app.asar/out/main/read-worker.js');
  });
});
