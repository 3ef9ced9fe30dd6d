// Electron main-process entry (bundled to out/main/main.js by scripts/build-app.js). It only
// hands Electron's modules to the app; everything it starts lives in desktop-app.ts. Nothing
// here awaits: the single-instance lock, userData and the betti:// scheme must be set up before
// Electron's `ready`, and an ES module's top level only runs first if it does not wait.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell, utilityProcess } from 'electron';
import { startDesktopApp } from './desktop-app.ts';

try {
  startDesktopApp({ app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell, utilityProcess });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`betti: could not start: ${message}`);
  dialog.showErrorBox('Betti could not start', message);
  app.exit(1);
}
