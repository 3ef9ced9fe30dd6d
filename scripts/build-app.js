#!/usr/bin/env node
// Builds the desktop app into out/: the main process and the preload (esbuild, from src-main/app)
// and the renderer (vite). `npm start` runs this, then Electron; `npm run dist` runs this, then
// electron-builder.
//
//   node scripts/build-app.js [--out DIR] [--no-renderer]
//
// The main bundle is ESM for Node inside Electron. Packages stay external: electron-builder ships
// node_modules beside it (and unpacks the wasm files and ffmpeg from there), so only Betti's own
// TypeScript is bundled. The preload bundle is CommonJS for the browser platform with only
// `electron` external: a sandboxed preload is evaluated as a plain script whose `require` knows
// only electron, events, timers and url, so a Node built-in in its import graph is a build error.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ANALYSIS_WORKER_BUNDLE, MAIN_BUNDLE, OUT_DIR, PRELOAD_BUNDLE, READ_WORKER_BUNDLE, RENDERER_DIR } from '../src-main/app/bundle-layout.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * A bundled module loses its own file location: `import.meta.url` would name the bundle. Betti's
 * core finds package.json, out/renderer and packages relative to its source file, so each source
 * file's `import.meta.url` is rewritten to the URL that file has in the app root. Resolved from
 * the bundle's own location at run time, it is right in the repository and inside app.asar alike.
 */
function keepSourceLocations(bundleFile) {
  return {
    name: 'betti-keep-source-locations',
    setup(b) {
      b.onLoad({ filter: /[\\/]src-main[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)\b/.test(source)) {
          return { errors: [{ text: `${relative(root, args.path)} uses import.meta.dirname/filename; use new URL(…, import.meta.url) so the bundle can keep its location` }] };
        }
        const fromBundle = relative(dirname(bundleFile), args.path).split(sep).join('/');
        const rewritten = source.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
        return { contents: rewritten, loader: 'ts' };
      });
    },
  };
}

/**
 * A main-process-side ESM bundle: the main process itself, the analysis worker's utility-process
 * entry (its own file, as utilityProcess.fork takes a script path), or the scan's read-worker
 * thread entry (its own file, as new Worker takes one; src-main is not shipped). The worker
 * finds the model and the tfjs wasm files from its rewritten source locations (install-paths.ts),
 * which point into app.asar.unpacked when packaged.
 */
async function buildNodeBundle(outDir, entry, bundle) {
  const outfile = join(outDir, relative(OUT_DIR, bundle));
  // The bundle must sit where bundle-layout.ts says relative to the app root for the rewrite to hold.
  const asShipped = join(root, bundle);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepSourceLocations(asShipped)],
  });
  return outfile;
}

async function buildPreload(outDir) {
  const outfile = join(outDir, relative(OUT_DIR, PRELOAD_BUNDLE));
  await build({
    entryPoints: [join(root, 'src-main/app/preload.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['electron'],
    // The contract's schemas bring zod along; minified, the preload parses faster on each load.
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}

function buildRenderer(outDir) {
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  const dir = join(outDir, relative(OUT_DIR, RENDERER_DIR));
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'src-renderer/vite.config.ts'), '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`the renderer build failed (vite exited with ${r.status ?? r.signal})`);
  return dir;
}

/**
 * Builds into `outDir` (default out/): main/main.js, main/preload.cjs, main/analysis-worker.js, main/read-worker.js and, unless `renderer` is
 * false, renderer/. Resolves with the paths written.
 */
export async function buildApp({ outDir = join(root, OUT_DIR), renderer = true } = {}) {
  const mainDir = join(outDir, 'main');
  rmSync(mainDir, { recursive: true, force: true });
  mkdirSync(mainDir, { recursive: true });
  const [main, preload, analysisWorker, readWorker] = await Promise.all([
    buildNodeBundle(outDir, 'src-main/app/main.ts', MAIN_BUNDLE),
    buildPreload(outDir),
    buildNodeBundle(outDir, 'src-main/app/analysis-utility-entry.ts', ANALYSIS_WORKER_BUNDLE),
    buildNodeBundle(outDir, 'src-main/library/read-worker.ts', READ_WORKER_BUNDLE),
  ]);
  const rendererDir = renderer ? buildRenderer(outDir) : undefined;
  return { main, preload, analysisWorker, readWorker, rendererDir };
}

function parseArgs(argv) {
  const opts = { outDir: join(root, OUT_DIR), renderer: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-renderer') opts.renderer = false;
    else if (a === '--out' && argv[i + 1]) opts.outDir = resolve(argv[++i]);
    else {
      console.error(`build-app: unknown argument ${a}\nusage: node scripts/build-app.js [--out DIR] [--no-renderer]`);
      process.exit(2);
    }
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  try {
    const built = await buildApp(parseArgs(process.argv.slice(2)));
    const shown = [built.main, built.preload, built.analysisWorker, built.readWorker, built.rendererDir].filter(Boolean).map((p) => relative(process.cwd(), p) || '.');
    console.log(`built ${shown.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`build-app: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
