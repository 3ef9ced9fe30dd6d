// One call through the contract, as every transport makes it: validate the request, run the
// handler, check the response. Direct, IPC and HTTP all go through here.
import type { MethodName, ResponseOf } from './contract.ts';
import type { BettiService } from './service.ts';
import { checkResponse, parseRequest } from './validate.ts';

export async function dispatch<M extends MethodName>(service: BettiService, name: M, raw: unknown): Promise<ResponseOf<M>> {
  const request = parseRequest(name, raw);
  const handler = service[name] as (req: unknown) => Promise<unknown>;
  return checkResponse(name, await handler(request));
}
