// Handlers of the library area: scan (one at a time per service, cancellable), list, one track.
import { BettiError } from '../errors.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';
import { getTrackById, listTracks } from '../../library/db/queries/tracks.ts';
import { scanFolders } from '../../library/scan.ts';

export function libraryHandlers(ctx: ServiceContext): Handlers<'library.scan' | 'library.cancelScan' | 'library.list' | 'library.track'> {
  let running: AbortController | undefined;
  return {
    'library.scan': async ({ folders }) => {
      if (running) {
        throw new BettiError('busy', 'A scan is already running; only one scan runs at a time.', {
          hint: 'Wait for it to finish, or cancel it (library.cancelScan) and scan again.',
        });
      }
      const controller = new AbortController();
      running = controller;
      try {
        return await scanFolders(ctx.db(), folders, {
          signal: controller.signal,
          onProgress: (p) => ctx.bus.emit('scan.progress', p),
          ...(ctx.readWorker ? { readWorker: ctx.readWorker } : {}),
        });
      } finally {
        running = undefined;
      }
    },
    'library.cancelScan': async () => {
      if (!running) return { cancelled: false };
      running.abort();
      return { cancelled: true };
    },
    'library.list': async (req) => {
      const { sort, descending, offset, limit, ...filters } = req;
      const { total, tracks } = listTracks(ctx.db(), { ...filters, sort, descending, offset, limit });
      return { total, offset, limit, tracks: tracks.map(({ raw: _raw, ...summary }) => summary) };
    },
    'library.track': async ({ id }) => {
      const track = getTrackById(ctx.db(), id);
      if (!track) {
        throw new BettiError('not-found', `No track with id ${id} in the library ${ctx.dbPath}.`, {
          hint: 'List the library (`betti library`) to see track ids.',
        });
      }
      return track;
    },
  };
}
