// The inspector's "sounds like" panel: the tracks nearest to the shown track by embedding
// (similar.tracks). It follows the inspector's track; a newer request wins over an older one, and
// a track without an embedding (not analysed yet, failed) says why instead of listing nothing.
import type { BettiApi } from '../../../src-main/api/contract.ts';
import type { NoEmbeddingReason } from '../../../src-main/api/schemas/personal.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';
import type { SimilarTrack } from './types.ts';

export type SimilarApi = Pick<BettiApi, 'similar.tracks'>;

/**
 * Why there is nothing to compare, in the app's own words: the core's message names the file (the
 * inspector already shows it) and its hint is a CLI command.
 */
export const NO_EMBEDDING_TEXT: Record<NoEmbeddingReason, { message: string; hint: string | undefined }> = {
  'not-analysed': { message: 'Once this track is analysed, the tracks that sound like it are listed here.', hint: undefined },
  'analysis-failed': { message: 'The analysis of this track failed, so there is nothing to compare it with.', hint: 'Use "Retry failed" after fixing the file.' },
  missing: { message: 'The file was missing at the last scan.', hint: 'Scan its folder again if the file is back.' },
  'other-model': { message: 'This track was analysed with another model than the rest of the library.', hint: 'Analyse the library again to compare it.' },
};

/** Tracks listed at first, and how many more each "more" asks for. */
export const SIMILAR_PAGE = 10;

export class SimilarState {
  readonly #api: SimilarApi;
  #generation = 0;

  trackId = $state<number | null>(null);
  tracks = $state.raw<SimilarTrack[]>([]);
  /** How many analysed tracks the last answer compared, and how long that took (ms). */
  searched = $state(0);
  searchMs = $state(0);
  /** How many tracks to list. */
  count = $state(SIMILAR_PAGE);
  loading = $state(false);
  /** Why there is nothing to list (no analysis yet, the analysis failed, another error). */
  note = $state.raw<ErrorText | null>(null);

  /** More may exist when the answer filled the list and other tracks were not all shown. */
  readonly canShowMore = $derived(this.tracks.length === this.count && this.searched - 1 > this.count);

  constructor(api: SimilarApi) {
    this.#api = api;
  }

  /** Lists the tracks most like `trackId` (null: nothing), from the first page again. */
  show(trackId: number | null): Promise<void> {
    this.trackId = trackId;
    this.count = SIMILAR_PAGE;
    return this.#load();
  }

  /** Lists another page of less similar tracks. */
  more(): Promise<void> {
    this.count += SIMILAR_PAGE;
    return this.#load();
  }

  async #load(): Promise<void> {
    const generation = ++this.#generation;
    const trackId = this.trackId;
    if (trackId === null) {
      this.tracks = [];
      this.note = null;
      this.loading = false;
      return;
    }
    this.loading = true;
    try {
      const r = await this.#api['similar.tracks']({ trackId, n: this.count });
      if (generation !== this.#generation) return;
      this.tracks = r.tracks;
      this.searched = r.searched;
      this.searchMs = r.searchMs;
      this.note = r.unavailable ? { title: 'Nothing to compare yet', ...NO_EMBEDDING_TEXT[r.unavailable.reason], path: r.path } : null;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.tracks = [];
      this.note = errorText(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
