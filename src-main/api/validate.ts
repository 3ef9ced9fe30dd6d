// Schema checks shared by every transport: a bad request is the caller's error (invalid-request,
// with a message naming the field); a bad response is Betti's own bug (internal).
import { z } from 'zod';
import { events, methods, type EventName, type EventPayloadOf, type MethodName, type ParsedRequestOf, type ResponseOf } from './contract.ts';
import { BettiError } from './errors.ts';

export function parseRequest<M extends MethodName>(name: M, raw: unknown): ParsedRequestOf<M> {
  const result = methods[name].request.safeParse(raw ?? {});
  if (!result.success) {
    throw new BettiError('invalid-request', `${name}: ${z.prettifyError(result.error)}`, {
      hint: `See the request schema of ${name} in src-main/api/schemas/.`,
    });
  }
  return result.data as ParsedRequestOf<M>;
}

export function checkResponse<M extends MethodName>(name: M, raw: unknown): ResponseOf<M> {
  const result = methods[name].response.safeParse(raw);
  if (!result.success) {
    throw new BettiError('internal', `${name} returned a response that breaks its schema: ${z.prettifyError(result.error)}`);
  }
  return result.data as ResponseOf<M>;
}

export function checkEvent<E extends EventName>(name: E, raw: unknown): EventPayloadOf<E> {
  const result = (events[name] as z.ZodType).safeParse(raw);
  if (!result.success) throw new BettiError('internal', `event ${name} breaks its schema: ${z.prettifyError(result.error)}`);
  return result.data as EventPayloadOf<E>;
}
