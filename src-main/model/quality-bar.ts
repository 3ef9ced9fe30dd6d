// The bar a tag must clear, on tracks it was not trained on, before Betti suggests it. One bar for
// both kinds of tag: the shipped network's (measured on the valid split when the model is
// exported: tags.json's `valid`) and a person's own (cross-validated on their library,
// personal/train.ts). A tag below the bar still has its probability shown; it is just never put
// in front of a person as a suggestion, where a batch accept would write it into their files.

export interface QualityBar {
  /** Personal tags: tracks that must carry a value before it is learnt. */
  readonly minPositives: number;
  readonly minRocAuc: number;
  /** Precision at the tag's threshold. */
  readonly minPrecision: number;
  /** No threshold below this probability, whatever F1 says. */
  readonly thresholdFloor: number;
}

export const DEFAULT_BAR: QualityBar = { minPositives: 20, minRocAuc: 0.8, minPrecision: 0.5, thresholdFloor: 0.2 };

/** How a shipped tag did on the valid split (tags.json), at its threshold. */
export interface HeldOutQuality {
  /** Null where valid holds only one class of the tag. */
  readonly rocAuc: number | null;
  /**
   * Over the pairs of a positive and a negative from the same source (training/pcnn/metrics.py).
   * Null where no source holds both: the score may then tell sources apart (a recording style, a
   * speech synthesiser) rather than the tag, as the training data's genre tags do.
   */
  readonly rocAucWithinSource: number | null;
  /** Null where nothing in valid reaches the threshold. */
  readonly precision: number | null;
}

/** Named as the API's tag entries name them (model.info, analysis.result), so callers spread it. */
export interface Verdict {
  readonly suggested: boolean;
  /** Why or why not, in words a person can read next to the tag. */
  readonly quality: string;
}

/**
 * Whether a shipped tag is suggested. A model folder without measurements (exported before they
 * were written) keeps every tag: there is no evidence to withhold one on.
 */
export function modelTagVerdict(valid: HeldOutQuality | undefined, bar: QualityBar = DEFAULT_BAR): Verdict {
  if (!valid) return { suggested: true, quality: 'no validation measurements in this model folder' };
  const { rocAuc, rocAucWithinSource: within, precision } = valid;
  if (rocAuc === null) return { suggested: false, quality: 'validation holds only one class of this tag, so its quality is unknown' };
  if (rocAuc < bar.minRocAuc) return { suggested: false, quality: `validation ROC-AUC ${rocAuc.toFixed(3)} is below ${bar.minRocAuc}` };
  if (within === null) return { suggested: false, quality: 'validation only compares it across sources, so its score may tell recordings apart, not the tag' };
  if (within < bar.minRocAuc) return { suggested: false, quality: `validation ROC-AUC within sources ${within.toFixed(3)} is below ${bar.minRocAuc}` };
  if (precision === null) return { suggested: false, quality: 'no validation clip reaches its threshold' };
  if (precision < bar.minPrecision) return { suggested: false, quality: `validation precision ${precision.toFixed(3)} at the threshold is below ${bar.minPrecision}` };
  return { suggested: true, quality: `validation ROC-AUC ${rocAuc.toFixed(3)} (${within.toFixed(3)} within sources), precision ${precision.toFixed(3)} at the threshold` };
}

/** The names of a model's tags below the bar: scored, never suggested. */
export function neverSuggestedTags(tags: readonly { readonly tag: string; readonly valid?: HeldOutQuality | undefined }[], bar: QualityBar = DEFAULT_BAR): string[] {
  return tags.filter((t) => !modelTagVerdict(t.valid, bar).suggested).map((t) => t.tag);
}
