// The inspector of one track: the file's tags, its analysis (spectrogram, landscapes, every tag's
// confidence and threshold), its suggestions with their decisions, and the persistence diagram of
// the chosen channel and segment. Decisions go through the shared DecisionLog, so undo (`u`)
// and the review list see them too.
import type { BettiApi, ResponseOf } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';
import type { DecisionLog } from '../review/decision-log.svelte.ts';
import type { Decision, Suggestion } from '../review/types.ts';
import { landscapesOf, segmentSpans, spectrogramOf } from './pictures.ts';
import type { AnalysisResult, SegmentPersistence, SegmentSpan, Track } from './types.ts';

export type Api = Pick<BettiApi, 'library.track' | 'analysis.result' | 'review.list' | 'inspector.status' | 'inspector.persistence'>;

type TrackStatus = ResponseOf<'inspector.status'>['tracks'][number];

/** Why a track has no analysis to show, from its status. */
function noAnalysis(status: TrackStatus | undefined): ErrorText {
  switch (status?.analysis) {
    case 'failed':
      return { title: 'The analysis failed', message: `The analysis failed: ${status.error?.message ?? 'no reason recorded'}.`, hint: 'Use "Retry failed" after fixing the file.', path: undefined };
    case 'pending':
    case 'running':
      return { title: 'Not analysed yet', message: 'This track is waiting in the analysis queue.', hint: undefined, path: undefined };
    default:
      return { title: 'Not analysed yet', message: 'Betti has not listened to this track yet.', hint: 'Press "Analyse library" to analyse it.', path: undefined };
  }
}

export class InspectorState {
  readonly #api: Api;
  readonly log: DecisionLog;
  #generation = 0;
  #persistenceGeneration = 0;

  trackId = $state<number | null>(null);
  track = $state.raw<Track | null>(null);
  /** The analysis, or null when the track has none (see `analysisNote`). */
  result = $state.raw<AnalysisResult | null>(null);
  /** Why there is no analysis to show (not analysed yet, or failed), in words. */
  analysisNote = $state.raw<ErrorText | null>(null);
  suggestions = $state<Suggestion[]>([]);
  loading = $state(false);
  error = $state.raw<ErrorText | null>(null);

  /** The segment under the pointer (index into `spans`), highlighted on the spectrogram. */
  hover = $state<number | null>(null);
  /** The chosen segment and channel (the persistence diagram's). */
  segment = $state(0);
  channel = $state(0);
  persistence = $state.raw<SegmentPersistence | null>(null);
  persistenceLoading = $state(false);
  persistenceError = $state.raw<ErrorText | null>(null);

  readonly spectrogram = $derived(this.result ? spectrogramOf(this.result) : null);
  readonly landscapes = $derived(this.result ? landscapesOf(this.result) : null);
  readonly spans = $derived<SegmentSpan[]>(this.result && this.landscapes ? segmentSpans(this.result, this.landscapes) : []);
  readonly thresholds = $derived(new Map((this.result?.tags ?? []).map((t) => [t.tag, t.threshold])));

  constructor(api: Api, log: DecisionLog) {
    this.#api = api;
    this.log = log;
    log.onChange((changes) => this.#apply(changes));
  }

  #apply(changes: ReadonlyMap<number, Decision>): void {
    for (const s of this.suggestions) {
      const d = changes.get(s.id);
      if (d !== undefined) s.decision = d;
    }
  }

  /** Shows a track (null: nothing). */
  async show(trackId: number | null): Promise<void> {
    const generation = ++this.#generation;
    this.trackId = trackId;
    this.hover = null;
    this.persistence = null;
    this.persistenceError = null;
    if (trackId === null) {
      this.track = null;
      this.result = null;
      this.suggestions = [];
      return;
    }
    this.loading = true;
    this.error = null;
    try {
      // The result is asked for only when the status says there is one (no needless not-found).
      const analysis = this.#api['inspector.status']({ trackIds: [trackId] }).then(async ({ tracks: [status] }) =>
        status?.analysis === 'done'
          ? this.#api['analysis.result']({ trackId }).then(
              (r) => ({ result: r, note: null }),
              (err: unknown) => ({ result: null, note: errorText(err) }),
            )
          : { result: null, note: noAnalysis(status) },
      );
      const [track, analysisResult, suggestions] = await Promise.all([
        this.#api['library.track']({ id: trackId }),
        analysis,
        this.#api['review.list']({ trackIds: [trackId], decision: 'all', limit: 1000 }),
      ]);
      if (generation !== this.#generation) return;
      this.track = track;
      this.result = analysisResult.result;
      this.analysisNote = analysisResult.note;
      this.suggestions = suggestions.suggestions;
      this.segment = 0;
      this.channel = 0;
    } catch (err) {
      if (generation === this.#generation) this.error = errorText(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
    if (generation === this.#generation && this.spans.length > 0) await this.choose(this.segment, this.channel);
  }

  /** Reloads the current track (after a scan, an analysis, a write). */
  refresh(): Promise<void> {
    return this.show(this.trackId);
  }

  /** Picks a segment (index into `spans`) and a channel, and fetches their persistence diagram. */
  async choose(segment: number, channel: number): Promise<void> {
    const span = this.spans[segment];
    if (this.trackId === null || !span) return;
    this.segment = segment;
    this.channel = channel;
    const generation = ++this.#persistenceGeneration;
    this.persistenceLoading = true;
    try {
      const p = await this.#api['inspector.persistence']({ trackId: this.trackId, window: span.window, segment: span.segment, channel });
      if (generation !== this.#persistenceGeneration) return;
      this.persistence = p;
      this.persistenceError = null;
    } catch (err) {
      if (generation === this.#persistenceGeneration) this.persistenceError = errorText(err);
    } finally {
      if (generation === this.#persistenceGeneration) this.persistenceLoading = false;
    }
  }

  async decide(s: Suggestion, decision: Decision): Promise<void> {
    try {
      await this.log.decide([s], decision, `${decision === 'accepted' ? 'accepted' : decision === 'rejected' ? 'rejected' : 'reset'} ${s.tag}`);
      this.error = null;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Pending suggestions at or above their tag's threshold. */
  get aboveThreshold(): Suggestion[] {
    return this.suggestions.filter((s) => s.decision === 'pending' && s.confidence >= (this.thresholds.get(s.tag) ?? 0));
  }

  /** Accepts every pending suggestion at or above its threshold. */
  async acceptAboveThreshold(): Promise<number> {
    const items = this.aboveThreshold;
    try {
      return await this.log.decide(items, 'accepted', `accepted ${items.length} suggestions of ${this.track?.tags.title ?? 'a track'}`);
    } catch (err) {
      this.error = errorText(err);
      return 0;
    }
  }
}
