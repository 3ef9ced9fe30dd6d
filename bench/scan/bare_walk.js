// The floor of bench/scan's warm rescan: what listing and stat-ing the library costs a fresh Node
// process and nothing else (no database, no classification, no change detection). One readdir per
// folder and one stat per entry, as any rescan that must notice an edited file needs.
// Prints the number of files and the milliseconds the walk took after start-up.
//
//   node bare_walk.js FOLDER...
import { readdirSync, statSync } from 'node:fs';

const t0 = performance.now();
let files = 0;
const stack = process.argv.slice(2).reverse();
while (stack.length > 0) {
  const dir = stack.pop();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`;
    const st = statSync(path);
    if (st.isDirectory()) stack.push(path);
    else if (st.isFile()) files += 1;
  }
}
console.log(`${files} ${(performance.now() - t0).toFixed(1)}`);
