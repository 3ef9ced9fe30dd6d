// How a track's status reads in the table and the inspector.
import type { TrackStatus } from './library.svelte.ts';

export function analysisLabel(status: TrackStatus | undefined): string {
  switch (status?.analysis) {
    case undefined:
      return '';
    case 'none':
      return 'Not analysed';
    case 'pending':
      return 'Queued';
    case 'running':
      return 'Analysing…';
    case 'done':
      return 'Analysed';
    case 'failed':
      return 'Failed';
  }
}
