#!/usr/bin/env node
// `npm run bench -- <name>` runs bench/<name>/main.ts. Every benchmark prints a table with ratios
// against a reference measured in the same run; none of them asserts anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${here}${d.name}/main.ts`))
  .map((d) => d.name);
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\navailable: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', `${here}${name}/main.ts`, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
