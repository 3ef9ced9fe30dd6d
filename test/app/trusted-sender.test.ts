import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILT_RENDERER_ENTRY, type RendererLocation } from '../../src-main/app/renderer-location.ts';
import { createSenderCheck, senderProblem, type ContentsLike, type FrameLike } from '../../src-main/app/trusted-sender.ts';

const location: RendererLocation = { entryUrl: BUILT_RENDERER_ENTRY, kind: 'built' };

function frame(url: string, ids: { processId?: number; routingId?: number; parent?: FrameLike | null } = {}): FrameLike {
  return { url, processId: ids.processId ?? 4, routingId: ids.routingId ?? 1, parent: ids.parent ?? null };
}

function contents(id: number, top: FrameLike, destroyed = false): ContentsLike {
  return { id, mainFrame: top, isDestroyed: () => destroyed };
}

describe('IPC sender check', () => {
  const top = frame('betti://app/index.html');
  const main = contents(7, top);

  it("trusts the main window's top frame showing Betti's page", () => {
    assert.equal(senderProblem({ sender: main, senderFrame: frame('betti://app/index.html#/review') }, main, location), undefined);
  });

  it('refuses another webContents', () => {
    const other = contents(8, frame('betti://app/index.html'));
    assert.match(senderProblem({ sender: other, senderFrame: other.mainFrame }, main, location) ?? '', /not the main window/);
  });

  it('refuses a subframe, even one showing Betti', () => {
    const sub = frame('betti://app/index.html', { routingId: 2, parent: top });
    assert.match(senderProblem({ sender: main, senderFrame: sub }, main, location) ?? '', /subframe/);
  });

  it('refuses a frame that navigated away or was destroyed', () => {
    assert.match(senderProblem({ sender: main, senderFrame: null }, main, location) ?? '', /navigated away/);
  });

  it('refuses the main frame when it shows any other page', () => {
    for (const url of ['https://example.com/', 'file:///app/out/renderer/index.html', 'betti://app.evil/index.html', 'about:blank']) {
      const f = frame(url);
      assert.match(senderProblem({ sender: contents(7, f), senderFrame: f }, contents(7, f), location) ?? '', /not Betti's renderer/, url);
    }
  });

  it('refuses a frame that is not the main frame of the window (a different routing id)', () => {
    assert.match(senderProblem({ sender: main, senderFrame: frame('betti://app/index.html', { routingId: 9 }) }, main, location) ?? '', /not the main frame/);
  });

  it('refuses everything once the main window is closed', () => {
    assert.match(senderProblem({ sender: main, senderFrame: top }, undefined, location) ?? '', /closed/);
    const gone = contents(7, top, true);
    assert.match(senderProblem({ sender: gone, senderFrame: top }, gone, location) ?? '', /closed/);
  });

  it('logs each refusal with its reason', () => {
    const logs: string[] = [];
    const check = createSenderCheck(() => main, location, (m) => logs.push(m));
    assert.equal(check({ sender: main, senderFrame: top }), true);
    assert.equal(check({ sender: main, senderFrame: null }), false);
    assert.deepEqual(logs, ['Betti refused an IPC message: the sending frame navigated away or was destroyed']);
  });
});
