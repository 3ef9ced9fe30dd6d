import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MenuItem, MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, type MenuActions } from '../../src-main/app/menu.ts';

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    addFolder: () => calls.push('addFolder'),
    rescan: () => calls.push('rescan'),
    setRescanOnLaunch: (on) => calls.push(`rescanOnLaunch:${on}`),
    showDataFolder: () => calls.push('showDataFolder'),
    showAbout: () => calls.push('showAbout'),
    openDemo: () => calls.push('openDemo'),
    showSettings: () => calls.push('showSettings'),
  };
  return { actions, calls };
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  assert.ok(item && Array.isArray(item.submenu), `${item?.label} has a submenu`);
  return item.submenu as MenuItemConstructorOptions[];
}

function find(template: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of template) {
    if (item.id === id) return item;
    if (Array.isArray(item.submenu)) {
      const inner = find(item.submenu as MenuItemConstructorOptions[], id);
      if (inner) return inner;
    }
  }
  return undefined;
}

function click(item: MenuItemConstructorOptions | undefined, checked = false): void {
  assert.ok(item?.click, `${item?.label} is clickable`);
  (item.click as (i: MenuItem) => void)({ checked } as MenuItem);
}

describe('application menu', () => {
  it('has File, Edit, View and Help on Linux and Windows', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const { actions } = recorder();
      const template = buildMenuTemplate(actions, { platform, development: false, rescanOnLaunch: false });
      assert.deepEqual(
        template.map((m) => m.label),
        ['&File', '&Edit', '&View', '&Help'],
      );
    }
  });

  it('puts File → Add Folder… and Rescan first, with their shortcuts, and Quit last', () => {
    const { actions } = recorder();
    const file = submenu(buildMenuTemplate(actions, { platform: 'linux', development: false, rescanOnLaunch: false })[0]);
    assert.deepEqual(
      file.map((i) => i.label ?? i.role ?? i.type),
      ['Add Folder…', 'Rescan Library', 'Rescan on Launch', 'separator', 'quit'],
    );
    assert.equal(file[0]?.accelerator, 'CmdOrCtrl+O');
    assert.equal(file[1]?.accelerator, 'F5');
  });

  it('runs the right action for each item', () => {
    const { actions, calls } = recorder();
    const template = buildMenuTemplate(actions, { platform: 'linux', development: false, rescanOnLaunch: false });
    click(find(template, 'add-folder'));
    click(find(template, 'rescan'));
    click(find(template, 'rescan-on-launch'), true);
    click(find(template, 'show-data-folder'));
    click(find(template, 'about'));
    click(find(template, 'open-demo'));
    click(find(template, 'settings'));
    assert.deepEqual(calls, ['addFolder', 'rescan', 'rescanOnLaunch:true', 'showDataFolder', 'showAbout', 'openDemo', 'showSettings']);
  });

  it('puts Settings… at the end of Edit on Linux and Windows, and in the app menu on macOS, with Cmd/Ctrl+,', () => {
    const { actions } = recorder();
    const edit = submenu(buildMenuTemplate(actions, { platform: 'win32', development: false, rescanOnLaunch: false })[1]);
    assert.equal(edit.at(-1)?.id, 'settings');
    assert.equal(edit.at(-1)?.accelerator, 'CmdOrCtrl+,');
    assert.equal(edit.at(-2)?.type, 'separator');
    const mac = buildMenuTemplate(actions, { platform: 'darwin', development: false, rescanOnLaunch: false });
    assert.equal(submenu(mac[0]).find((i) => i.id === 'settings')?.label, 'Settings…');
    assert.equal(submenu(mac[2]).some((i) => i.id === 'settings'), false, 'Settings… appears once');
  });

  it('shows the saved Rescan on Launch setting as a checkbox', () => {
    const { actions } = recorder();
    const item = find(buildMenuTemplate(actions, { platform: 'linux', development: false, rescanOnLaunch: true }), 'rescan-on-launch');
    assert.equal(item?.type, 'checkbox');
    assert.equal(item?.checked, true);
  });

  it('uses the standard Edit roles, so copy and paste work in the page', () => {
    const { actions } = recorder();
    const edit = submenu(buildMenuTemplate(actions, { platform: 'linux', development: false, rescanOnLaunch: false })[1]);
    assert.deepEqual(
      edit.filter((i) => i.role).map((i) => i.role),
      ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'],
    );
  });

  it('offers Reload only while developing', () => {
    const { actions } = recorder();
    const roles = (development: boolean) => submenu(buildMenuTemplate(actions, { platform: 'linux', development, rescanOnLaunch: false })[2]).map((i) => i.role);
    assert.ok(!roles(false).includes('reload'));
    assert.ok(roles(true).includes('reload'));
    assert.ok(roles(false).includes('toggleDevTools'));
  });

  it('follows macOS conventions: an app menu with About and Quit, Close in File', () => {
    const { actions, calls } = recorder();
    const template = buildMenuTemplate(actions, { platform: 'darwin', development: false, rescanOnLaunch: false });
    assert.deepEqual(
      template.map((m) => m.label),
      ['Betti', '&File', '&Edit', '&View', '&Help'],
    );
    const appMenu = submenu(template[0]);
    assert.equal(appMenu.at(-1)?.role, 'quit');
    assert.equal(submenu(template[1]).at(-1)?.role, 'close');
    click(find(template, 'about'));
    assert.deepEqual(calls, ['showAbout']);
    assert.equal(submenu(template[4]).some((i) => i.id === 'about'), false, 'About appears once');
  });
});
