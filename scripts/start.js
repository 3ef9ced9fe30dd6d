#!/usr/bin/env node
// `npm start`: builds the desktop app (scripts/build-app.js) and launches Electron on it.
// Arguments after `--` go to the app: `npm start -- --inspect=9229`.
//
// The electron package does not download its binary at install time (package.json
// "allowScripts"); requiring it fetches the binary on first launch, once, into
// node_modules/electron/dist. To develop the renderer with hot reload, run its Vite dev server
// and point the app at it: BETTI_RENDERER_URL=http://127.0.0.1:5173/ npm start (the renderer
// build is then skipped; only loopback URLs are accepted).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build-app.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

function electronBinary() {
  try {
    return createRequire(import.meta.url)('electron');
  } catch (err) {
    console.error(
      `start: Electron's binary is not there and could not be downloaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).\n` +
        'Connect to the network and run `npm start` again, or run `npx install-electron` once; behind a proxy or mirror see https://www.electronjs.org/docs/latest/tutorial/installation.',
    );
    process.exit(1);
  }
}

try {
  await buildApp({ renderer: !process.env.BETTI_RENDERER_URL });
} catch (err) {
  console.error(`start: the build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const binary = electronBinary();
const passthrough = process.argv.indexOf('--') >= 0 ? process.argv.slice(process.argv.indexOf('--') + 1) : process.argv.slice(2);
const env = { ...process.env };
// Set by some tools; it would make Electron behave as plain Node and never open a window.
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, [root, ...passthrough], { cwd: root, stdio: 'inherit', env });
child.on('error', (err) => {
  console.error(`start: cannot run ${binary}: ${err.message}`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!child.killed) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
