// The scan's read workers start here (read-pool.ts), in plain JS so that the compile cache is on
// before any of the reader's TypeScript loads. A worker thread is a Node instance of its own: the
// cache `betti` enables in the main thread does not reach it. With it, a worker loads the
// reader's modules already stripped of their types and compiled, and the type stripper itself is
// never loaded (bench/scan: the reading starts about 100 ms sooner). The desktop app does not use
// this file: it bundles read-worker.ts as out/main/read-worker.js.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
await import('./read-worker.ts');
