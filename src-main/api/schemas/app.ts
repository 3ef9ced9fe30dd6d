// Contract part: facts about the running Betti (versions, where its data lives), the demo library,
// and the desktop shell's requests to the window.
import { z } from 'zod';
import { method } from './define.ts';
import { ScanSummary } from './library.ts';

export const AppInfo = z.object({
  name: z.literal('betti'),
  version: z.string(),
  node: z.string(),
  platform: z.string(),
  dbPath: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const DemoLibrary = z.object({
  /** The person's copy of the demo, beside the library database (scanned; writes go there). */
  folder: z.string(),
  /** Clips copied by this call (0 when the copy was already complete). */
  copied: z.number().int(),
  scan: ScanSummary,
});
export type DemoLibrary = z.infer<typeof DemoLibrary>;

export const appMethods = {
  'app.info': method({ summary: 'Versions and the library database in use.', request: z.object({}).strict(), response: AppInfo }),
  'app.openDemo': method({
    summary: 'Copy the shipped demo library (five short clips) beside the library database, if not there yet, and scan it.',
    request: z.object({}).strict(),
    response: DemoLibrary,
  }),
};

/**
 * The desktop shell asks the window to show a view (a menu item such as Settings…): the window's
 * own navigation, sent as an event because the menu lives in the main process.
 */
export const AppShow = z.object({
  view: z.enum(['library', 'review', 'write']),
  /** A part of the view to open and focus. */
  section: z.enum(['write-settings']).optional(),
});
export type AppShow = z.infer<typeof AppShow>;

export const appEvents = {
  'app.show': AppShow,
};
