// The application menu as a template (data): File → Add folder…, Rescan; Edit (… Settings…); View;
// Help → Open Demo Library, Show Data Folder, About. Settings… sits where each platform's people
// look for it: the app menu on macOS, the end of Edit elsewhere, both with Cmd/Ctrl+,.
// Actions are passed in, so a test can build the template, find an item by label and click it.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  addFolder(): void;
  rescan(): void;
  setRescanOnLaunch(enabled: boolean): void;
  showDataFolder(): void;
  showAbout(): void;
  /** Copies the demo library into the data folder and scans it (the first-run offer). */
  openDemo(): void;
  /** Shows the write settings in the window. */
  showSettings(): void;
}

export interface MenuInputs {
  platform: NodeJS.Platform;
  /** Unpackaged (npm start): adds Reload, handy while developing. */
  development: boolean;
  rescanOnLaunch: boolean;
}

export function buildMenuTemplate(actions: MenuActions, inputs: MenuInputs): MenuItemConstructorOptions[] {
  const mac = inputs.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'add-folder', label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.addFolder() },
      { id: 'rescan', label: 'Rescan Library', accelerator: 'F5', click: () => actions.rescan() },
      {
        id: 'rescan-on-launch',
        label: 'Rescan on Launch',
        type: 'checkbox',
        checked: inputs.rescanOnLaunch,
        click: (item) => actions.setRescanOnLaunch(item.checked),
      },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const settings: MenuItemConstructorOptions = { id: 'settings', label: mac ? 'Settings…' : 'Se&ttings…', accelerator: 'CmdOrCtrl+,', click: () => actions.showSettings() };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      ...(mac ? [] : ([{ type: 'separator' }, settings] as MenuItemConstructorOptions[])),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(inputs.development ? ([{ role: 'reload' }, { role: 'forceReload' }] as MenuItemConstructorOptions[]) : []),
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { id: 'open-demo', label: 'Open Demo Library', click: () => actions.openDemo() },
      { id: 'show-data-folder', label: 'Show Data Folder', click: () => actions.showDataFolder() },
      ...(mac ? [] : ([{ type: 'separator' }, { id: 'about', label: 'About Betti', click: () => actions.showAbout() }] as MenuItemConstructorOptions[])),
    ],
  };
  // macOS puts About, Hide and Quit in the application menu, named after the app.
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: 'Betti',
          submenu: [
            { id: 'about', label: 'About Betti', click: () => actions.showAbout() },
            { type: 'separator' },
            settings,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, help];
}
