// Preload entry (sandboxed; bundled to out/main/preload.cjs as CommonJS). It exposes exactly one
// thing to the page, window.betti, the contract's BettiClient, and turns folder drops into
// "add these folders" for the main process.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { FOLDERS_DROPPED_CHANNEL, installFolderDrop, type DropTargetLike } from './folder-drop.ts';
import { createBridgeClient } from './preload-bridge.ts';

contextBridge.exposeInMainWorld('betti', createBridgeClient(ipcRenderer));

installFolderDrop(
  globalThis as unknown as DropTargetLike,
  (file) => webUtils.getPathForFile(file as File),
  (paths) => ipcRenderer.send(FOLDERS_DROPPED_CHANNEL, paths),
);
