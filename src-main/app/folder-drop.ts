// Dropping folders onto the window. In a sandboxed, context-isolated page a dropped File has no
// path; only the preload can ask Electron for it (webUtils.getPathForFile). So the preload
// listens for drops itself and sends the paths to the main process, which checks that they are
// folders and adds them exactly as File → Add folder does. The page is not given a path API.
//
// This is the shell's one channel outside the BettiApi contract: it carries no API call, only
// "these paths were dropped", and it is sender-checked and schema-validated like the API ones.
import { z } from 'zod';

export const FOLDERS_DROPPED_CHANNEL = 'betti-shell:folders-dropped';

/** At most this many paths from one drop; a drop of more is cut, not refused. */
export const MAX_DROPPED_PATHS = 100;

export const DroppedPaths = z.array(z.string().min(1).max(4096)).min(1).max(MAX_DROPPED_PATHS);

/** The parts of a DOM drag event the preload reads (typed here: src-main builds without DOM lib). */
export interface DragEventLike {
  preventDefault(): void;
  readonly dataTransfer: { readonly types: readonly string[]; readonly files: ArrayLike<unknown>; dropEffect: string } | null;
}

export interface DropTargetLike {
  addEventListener(type: 'dragover' | 'drop', listener: (event: DragEventLike) => void): void;
}

function carriesFiles(event: DragEventLike): boolean {
  return event.dataTransfer !== null && Array.from(event.dataTransfer.types).includes('Files');
}

/**
 * Accepts file drops on `target` and hands the dropped paths to `send`. Drags of text or links are left
 * alone. Files with no path on disk (made in JavaScript) are skipped.
 */
export function installFolderDrop(target: DropTargetLike, pathOf: (file: unknown) => string, send: (paths: string[]) => void): void {
  target.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  target.addEventListener('drop', (event) => {
    if (!carriesFiles(event) || !event.dataTransfer) return;
    event.preventDefault();
    const paths: string[] = [];
    for (const file of Array.from(event.dataTransfer.files)) {
      let path = '';
      try {
        path = pathOf(file);
      } catch {
        // Not a File backed by disk; nothing to add.
      }
      if (path) paths.push(path);
      if (paths.length === MAX_DROPPED_PATHS) break;
    }
    if (paths.length > 0) send(paths);
  });
}
