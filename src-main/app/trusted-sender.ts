// Electron security checklist §17: validate the sender of every IPC message. A message counts as
// Betti's own only when it comes from the main window's top-level frame, while that frame shows
// Betti's renderer. A subframe, another window, a frame that navigated away (senderFrame null)
// or any other page is refused, whatever it sends.
import type { RendererLocation } from './renderer-location.ts';
import { isRendererUrl } from './renderer-location.ts';

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: FrameLike | null;
}

/** The parts of Electron's WebContents the check reads. */
export interface ContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
}

/** The parts of IpcMainEvent / IpcMainInvokeEvent the check reads. */
export interface SenderEvent {
  readonly sender: ContentsLike;
  readonly senderFrame: FrameLike | null;
}

export type SenderCheck = (event: SenderEvent) => boolean;

/** Why a sender was refused, for the log line; undefined when it is trusted. */
export function senderProblem(event: SenderEvent, main: ContentsLike | undefined, location: RendererLocation): string | undefined {
  if (!main || main.isDestroyed()) return 'the main window is closed';
  if (event.sender.id !== main.id) return `webContents ${event.sender.id} is not the main window`;
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame navigated away or was destroyed';
  if (frame.parent !== null) return `a subframe (${frame.url}) may not call Betti`;
  const top = main.mainFrame;
  if (frame.processId !== top.processId || frame.routingId !== top.routingId) return 'the sending frame is not the main frame';
  if (!isRendererUrl(frame.url, location)) return `the frame shows ${frame.url}, not Betti's renderer`;
  return undefined;
}

/** The check the IPC handlers use, bound to the current main window. */
export function createSenderCheck(mainContents: () => ContentsLike | undefined, location: RendererLocation, log: (message: string) => void = console.warn): SenderCheck {
  return (event) => {
    const problem = senderProblem(event, mainContents(), location);
    if (problem !== undefined) log(`Betti refused an IPC message: ${problem}`);
    return problem === undefined;
  };
}
