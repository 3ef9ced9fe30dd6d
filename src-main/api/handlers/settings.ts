import { loadSettings, updateSettings } from '../../tags/settings.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

export function settingsHandlers(ctx: ServiceContext): Handlers<'settings.get' | 'settings.set'> {
  return {
    'settings.get': async () => loadSettings(ctx.db()),
    'settings.set': async (patch) => updateSettings(ctx.db(), patch),
  };
}
