// The service that implements BettiApi over the core. Each area contributes its handlers from
// api/handlers/<area>.ts; the type below makes a method without a handler a compile error.
import type { MethodName, ParsedRequestOf, ResponseOf } from './contract.ts';
import type { ServiceContext } from './context.ts';
import { analysisHandlers } from './handlers/analysis.ts';
import { appHandlers } from './handlers/app.ts';
import { featuresHandlers } from './handlers/features.ts';
import { inspectorHandlers } from './handlers/inspector.ts';
import { libraryHandlers } from './handlers/library.ts';
import { modelHandlers } from './handlers/model.ts';
import { persistenceHandlers } from './handlers/persistence.ts';
import { personalHandlers } from './handlers/personal.ts';
import { reviewHandlers } from './handlers/review.ts';
import { settingsHandlers } from './handlers/settings.ts';
import { writeHandlers } from './handlers/write.ts';

/** Handlers receive requests already validated (defaults applied) by the transport. */
export type Handlers<K extends MethodName> = { [M in K]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> };
export type BettiService = Handlers<MethodName>;

export function createService(ctx: ServiceContext): BettiService {
  const library = libraryHandlers(ctx);
  return {
    ...analysisHandlers(ctx),
    ...appHandlers(ctx, { scan: (folders) => library['library.scan']({ folders }) }),
    ...featuresHandlers(),
    ...inspectorHandlers(ctx),
    ...library,
    ...modelHandlers(ctx),
    ...persistenceHandlers(),
    ...personalHandlers(ctx),
    ...reviewHandlers(ctx),
    ...settingsHandlers(ctx),
    ...writeHandlers(ctx),
  };
}
