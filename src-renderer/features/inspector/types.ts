// Types of the inspector, from the contract.
import type { ResponseOf } from '../../../src-main/api/contract.ts';

export type Track = ResponseOf<'library.track'>;
export type AnalysisResult = ResponseOf<'analysis.result'>;
export type TagResult = AnalysisResult['tags'][number];
export type SegmentPersistence = ResponseOf<'inspector.persistence'>;
export type PersistencePair = SegmentPersistence['diagram'][number];

/** A quantised picture decoded to bytes: value = min + byte / 255 · (max − min). */
export interface BytePicture {
  shape: number[];
  min: number;
  max: number;
  bytes: Uint8Array;
}

/** The log-mel picture: columns × bands, band 0 lowest, each column's time in the track. */
export interface SpectrogramData extends BytePicture {
  columns: number;
  bands: number;
  times: number[];
}

/** One segment of the landscape layer, where it lies in the track. */
export interface SegmentSpan {
  /** Index in the list of all segments (time order). */
  index: number;
  window: number;
  segment: number;
  start: number;
  end: number;
}
