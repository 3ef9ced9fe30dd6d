// Errors of personal tag models and track similarity, each with what to do next.
import { BettiError } from '../api/errors.ts';
import type { NoEmbeddingReason } from '../api/schemas/personal.ts';

/** Too few analysed tracks to learn from (or none at all). */
export class NotEnoughAnalysedError extends BettiError {
  constructor(analysed: number, needed: number) {
    super(
      'not-found',
      analysed === 0
        ? 'No track in the library has been analysed yet, so there are no embeddings to learn from.'
        : `Only ${analysed} tracks are analysed; personal tag models need at least ${needed}.`,
      { hint: 'Run `betti scan <folder>` and `betti analyze` first.' },
    );
    this.name = 'NotEnoughAnalysedError';
  }
}

/** A track that has no embedding to compare (not analysed, failed, missing, or another model's). */
export class NoEmbeddingError extends BettiError {
  readonly reason: NoEmbeddingReason;
  constructor(trackId: number, path: string | undefined, reason: NoEmbeddingReason, why: string) {
    super('not-found', `${path ?? `Track ${trackId}`}: ${why}.`, {
      ...(path === undefined ? {} : { path }),
      hint: reason === 'missing' ? 'Scan its folder again (`betti scan`) if the file is back.' : 'Run `betti analyze`, then ask again.',
    });
    this.reason = reason;
    this.name = 'NoEmbeddingError';
  }
}
