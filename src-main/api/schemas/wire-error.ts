// The runtime schema of WireError (api/errors.ts), for the receiving side of a boundary: the
// contract's responses and events, the IPC envelope and the renderer's HTTP client. Apart from
// errors.ts so that code which only throws BettiErrors does not load zod.
import { z } from 'zod';
import { errorKinds, type WireError } from '../errors.ts';

export const WireErrorSchema = z.object({
  kind: z.enum(errorKinds),
  message: z.string(),
  path: z.string().optional(),
  hint: z.string().optional(),
}) satisfies z.ZodType<WireError>;

// The schema and the interface say the same thing, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesInterface: Same<z.infer<typeof WireErrorSchema>, WireError> = true;
void _schemaMatchesInterface;
