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
}

export const COLUMNS: readonly Column[] = [
  { key: 'title', label: 'Title', sort: 'title', width: 'minmax(8rem, 3fr)' },
  { key: 'artist', label: 'Artist', sort: 'artist', width: 'minmax(6rem, 2fr)' },
  { key: 'album', label: 'Album', sort: 'album', width: 'minmax(6rem, 2fr)' },
  { key: 'genre', label: 'Genre', sort: 'genre', width: 'minmax(5rem, 1.2fr)' },
  { key: 'duration', label: 'Time', sort: 'duration', width: '4.5rem', align: 'end' },
  { key: 'format', label: 'Format', sort: 'format', width: '4.5rem' },
  { key: 'analysis', label: 'Analysis', sort: null, width: '6.5rem' },
  { key: 'pending', label: 'To review', sort: null, width: '5.5rem', align: 'end' },
];
