#!/usr/bin/env node
// The one test command (`npm test`). Runs every test/**/*.test.ts under Node >= 22.18 (npm scripts: the pinned Node 24) with the
// built-in runner, prints the spec report, and ends with the line CI reads: "N passed, N failed".
// Usage: node test/run.js [path-or-folder ...]   (default: all of test/)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`Betti's tests need Node >= 22.18 (found ${process.version}). Run them with \`npm test\`, which puts the Node pinned in devDependencies first on the PATH.`);
  process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(relative(root, path));
  }
  return out;
}
const files = roots.flatMap((r) => collect(join(root, r), []));
if (files.length === 0) {
  console.error(`No test files under ${roots.join(', ')}.`);
  process.exit(2);
}

const child = spawn(
  process.execPath,
  [
    '--test',
    `--test-concurrency=${process.env.BETTI_TEST_CONCURRENCY ?? 2}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./test/summary-reporter.js',
    '--test-reporter-destination=stderr',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, BETTI_TEST: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --disable-warning=ExperimentalWarning`.trim() } },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
