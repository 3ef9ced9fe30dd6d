import { Persistence0Workspace, diagramIndices } from './src-main/features/persistence.ts';
import { activationLike, seededRandom } from './test/helpers/sequences.ts';
const rnd = seededRandom(1);
const seqs = Array.from({ length: 2048 }, () => Float64Array.from(activationLike(rnd, 32)));
const ws = new Persistence0Workspace(32);
let sink = 0;
for (let r = 0; r < 8; r++) {
  const t0 = performance.now();
  for (let rep = 0; rep < 20; rep++) for (const s of seqs) { ws.values.set(s); sink += diagramIndices(ws, 32); }
  const t1 = performance.now();
  console.log(((t1 - t0) / 20).toFixed(3), 'ms per 2048 diagrams', sink);
}
