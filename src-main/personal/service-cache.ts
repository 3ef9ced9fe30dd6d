// One embedding matrix per running service (the app, `betti serve`, one CLI command), shared by
// the personal.* and similar.* handlers and by review.decide's retraining, so 100,000 embeddings
// are read from the database once, not once per area.
import type { ServiceContext } from '../api/context.ts';
import { EmbeddingCache } from './embedding-matrix.ts';

const caches = new WeakMap<ServiceContext, EmbeddingCache>();

export function embeddingCacheOf(ctx: ServiceContext): EmbeddingCache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new EmbeddingCache(ctx.bus)));
  return cache;
}
