// Where Betti keeps its data by default: the same per-user folder Electron's app.getPath('userData')
// gives for an app named "Betti", so the CLI, `betti serve` and the desktop app share one library.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BETTI_DATA_DIR) return env.BETTI_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Betti');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Betti');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Betti');
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(defaultDataDir(env, platform), 'library.db');
}
