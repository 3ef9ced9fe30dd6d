// Types of the review area, from the contract.
import type { ResponseOf } from '../../../src-main/api/contract.ts';

export type Suggestion = ResponseOf<'review.list'>['suggestions'][number];
export type Decision = Suggestion['decision'];

/** One decision step a person can undo: each suggestion it changed and its decision before. */
export interface DecisionStep {
  label: string;
  decision: Decision;
  changes: { id: number; before: Decision }[];
}
