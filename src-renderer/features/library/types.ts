// Types of the library view, derived from the contract so a renamed field fails to compile here.
import type { RequestOf, ResponseOf } from '../../../src-main/api/contract.ts';

export type ListRequest = RequestOf<'library.list'>;
export type TrackRow = ResponseOf<'library.list'>['tracks'][number];
export type TrackSort = NonNullable<ListRequest['sort']>;
export type FormatName = NonNullable<ListRequest['formats']>[number];
export type ScanSummary = ResponseOf<'library.scan'>;

/** The formats the filter offers, in menu order (the contract's list). */
export const FORMAT_CHOICES: readonly FormatName[] = ['mp3', 'flac', 'ogg', 'opus', 'm4a', 'aac', 'wav', 'aiff', 'wma', 'ape', 'wavpack'];

/** A column of the library table: what it shows and which sort (if any) its header applies. */
export interface Column {
  key: 'title' | 'artist' | 'album' | 'genre' | 'duration' | 'format' | 'analysis' | 'pending';
  label: string;
  sort: TrackSort | null;
  /** CSS grid track size; fixed sizes where numbers change while analysis runs (no layout jumps). */
  width: string;
  align?: 'end';
  /** Below this table width (rem) the column is left out, so narrow windows and 125% zoom keep every status column. */
  dropBelow?: number;
}

export const COLUMNS: readonly Column[] = [
  { key: 'title', label: 'Title', sort: 'title', width: 'minmax(6rem, 3fr)' },
  { key: 'artist', label: 'Artist', sort: 'artist', width: 'minmax(5rem, 2fr)' },
  { key: 'album', label: 'Album', sort: 'album', width: 'minmax(5rem, 2fr)', dropBelow: 40 },
  { key: 'genre', label: 'Genre', sort: 'genre', width: 'minmax(4rem, 1.2fr)', dropBelow: 48 },
  { key: 'duration', label: 'Time', sort: 'duration', width: '3.5rem', align: 'end' },
  { key: 'format', label: 'Format', sort: 'format', width: '4rem', dropBelow: 34 },
  { key: 'analysis', label: 'Analysis', sort: null, width: '6.2rem' },
  { key: 'pending', label: 'To review', sort: null, width: '4.8rem', align: 'end' },
];

/** The columns that fit a table `rem` wide. */
export function columnsFor(rem: number): Column[] {
  return COLUMNS.filter((c) => c.dropBelow === undefined || rem >= c.dropBelow);
}
