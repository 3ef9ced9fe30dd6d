#!/usr/bin/env node
// The `betti` executable. Plain JS so it can refuse an old Node with a clear message before
// loading the TypeScript sources (run by Node's type stripping, Node >= 22.18).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `betti needs Node.js 22.18 or newer; this is ${process.version}.\n` +
      'Run it through npm (`npx betti …` or `npm run betti -- …`), which uses the Node pinned in devDependencies, or install Node 22.18 or newer.\n',
  );
  process.exit(1);
}
// node:sqlite is stable enough for Betti's use; its "experimental" notice would only alarm people.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning).includes('SQLite is an experimental feature')) return;
  emitWarning(warning, ...rest);
};
// `betti … --json | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// Node keeps the compiled code of every module Betti loads (its own TypeScript, music-metadata,
// zod …) in a cache under the OS temp folder, so a later start skips parsing and compiling them:
// a warm `betti scan` of an unchanged library is mostly start-up (bench/scan).
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
