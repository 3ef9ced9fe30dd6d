import { landscapes } from '../../features/landscape.ts';
import { persistence0 } from '../../features/persistence.ts';
import type { Handlers } from '../service.ts';

export function persistenceHandlers(): Handlers<'features.persistence'> {
  return {
    'features.persistence': async ({ segments, landscape }) => {
      const diagrams = segments.map((segment) => persistence0(segment));
      return {
        diagrams,
        landscapes: diagrams.map((diagram) => Array.from(landscapes(diagram, landscape))),
        params: landscape,
      };
    },
  };
}
