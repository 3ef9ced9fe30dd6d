// The direct transport: a BettiClient that calls the service in-process, with the same schema
// checks as IPC and HTTP. The CLI and the tests use it.
import { methodNames, type BettiApi, type BettiClient, type MethodName } from './contract.ts';
import { dispatch } from './dispatch.ts';
import type { EventBus } from './events.ts';
import type { BettiService } from './service.ts';

export function createDirectClient(service: BettiService, bus: EventBus): BettiClient {
  const api = {} as Record<MethodName, (req: unknown) => Promise<unknown>>;
  for (const name of methodNames) api[name] = (raw: unknown) => dispatch(service, name, raw);
  return Object.assign(api as unknown as BettiApi, { on: bus.on.bind(bus) }) as BettiClient;
}
