// Contract part: facts about the running Betti (versions, where its data lives).
import { z } from 'zod';
import { method } from './define.ts';

export const AppInfo = z.object({
  name: z.literal('betti'),
  version: z.string(),
  node: z.string(),
  platform: z.string(),
  dbPath: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  'app.info': method({ summary: 'Versions and the library database in use.', request: z.object({}).strict(), response: AppInfo }),
};

export const appEvents = {};
