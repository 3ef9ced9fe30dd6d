// Helpers every schemas/<area>.ts uses to declare its part of the contract.
import type { z } from 'zod';

export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  /** One line a person reads in `betti --help`-like listings and API docs. */
  readonly summary: string;
  readonly request: Req;
  readonly response: Res;
}

export function method<Req extends z.ZodType, Res extends z.ZodType>(spec: MethodSpec<Req, Res>): MethodSpec<Req, Res> {
  return spec;
}
