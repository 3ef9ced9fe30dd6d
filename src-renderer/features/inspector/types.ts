// Types of the inspector, from the contract.
import type { ResponseOf } from '../../../src-main/api/contract.ts';

export type Track = ResponseOf<'library.track'>;
export type AnalysisResult = ResponseOf<'analysis.result'>;
export type TagResult = AnalysisResult['tags'][number];
export type SegmentPersistence = ResponseOf<'inspector.persistence'>;
export type PersistencePair = SegmentPersistence['diagram'][number];
export type SimilarTrack = ResponseOf<'similar.tracks'>['tracks'][number];

/** A quantised picture decoded to bytes: value = min + byte / 255 · (max − min). */
export interface BytePicture {
  shape: number[];
  min: number;
  max: number;
  bytes: Uint8Array;
}

/** One analysed window's block of columns in the log-mel picture. */
export type PictureWindow = NonNullable<AnalysisResult['display']>['logMel']['windows'][number];

/**
 * The log-mel picture of the analysed windows: columns × bands, band 0 lowest, each column's time
 * in the track, and the block of columns of each window (the track between them is not in it).
 */
export interface SpectrogramData extends BytePicture {
  columns: number;
  bands: number;
  times: number[];
  windows: PictureWindow[];
}

/** A window's block as drawn: its columns, the seconds they cover, where it sits (CSS pixels). */
export interface BlockPlacement {
  firstColumn: number;
  columns: number;
  start: number;
  end: number;
  left: number;
  width: number;
}

/** A time-axis tick: a block's start (label left-aligned at its edge) or a tick inside a block. */
export interface AxisTick {
  x: number;
  label: string;
  blockStart: boolean;
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
