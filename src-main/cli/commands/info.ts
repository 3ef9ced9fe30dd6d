import { defineCommand } from '../command.ts';
import type { AppInfo } from '../../api/schemas/app.ts';

export const infoCommand = defineCommand<AppInfo>({
  usage: 'info',
  describe: 'Show versions and where the library database is',
  run: (ctx) => ctx.client['app.info']({}),
  human: (i) => [`Betti ${i.version} (Node ${i.node}, ${i.platform})`, `library: ${i.dbPath}`].join('\n'),
});
