// Handlers of the inspector area (schemas/inspector.ts).
import { trackStatuses } from '../../library/db/queries/track-status.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

export function inspectorHandlers(ctx: ServiceContext): Handlers<'inspector.status'> {
  return {
    'inspector.status': async ({ trackIds }) => ({ tracks: trackStatuses(ctx.db(), [...new Set(trackIds)]) }),
  };
}
