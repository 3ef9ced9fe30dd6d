// The betti:// protocol handler with real Request objects over a temporary renderer folder.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRendererProtocolHandler } from '../../src-main/app/renderer-protocol.ts';
import { RENDERER_CSP } from '../../src-main/server/renderer-csp.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('betti:// protocol', () => {
  const root = tempDir({ after });
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Betti</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'notes.txt'), 'not a build output');
  writeFileSync(join(root, 'secret.json'), '{"secret":true}');
  symlinkSync(join(root, 'secret.json'), join(rendererDir, 'assets', 'link.json'));
  const handler = createRendererProtocolHandler({ rendererDir });
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves index.html for the entry and for the root, with the CSP header', async () => {
    for (const url of ['betti://app/index.html', 'betti://app/']) {
      const r = await get(url);
      assert.equal(r.status, 200, url);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(r.headers.get('content-security-policy'), RENDERER_CSP);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(await r.text(), '<!doctype html><title>Betti</title>');
    }
  });

  it('serves scripts as JavaScript, which module scripts require', async () => {
    const r = await get('betti://app/assets/index-abc.js');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await r.text(), 'console.log(1)');
  });

  it('answers HEAD without a body', async () => {
    const r = await get('betti://app/index.html', 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of ['betti://app/../secret.json', 'betti://app/%2e%2e/secret.json', 'betti://app/assets/%2e%2e%2f%2e%2e%2fsecret.json', 'betti://app/..%5csecret.json']) {
      const r = await get(url);
      assert.equal(r.status, 404, url);
      assert.doesNotMatch(await r.text(), /secret/, url);
    }
  });

  it('refuses files of a type the renderer build does not emit', async () => {
    assert.equal((await get('betti://app/assets/notes.txt')).status, 404);
  });

  it('answers 404 for another host, a missing file or a folder', async () => {
    assert.equal((await get('betti://other/index.html')).status, 404);
    assert.equal((await get('betti://app/assets/missing.js')).status, 404);
    assert.equal((await get('betti://app/assets')).status, 404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    assert.equal((await get('betti://app/index.html', 'POST')).status, 405);
  });

  it('says how to build the renderer when it is not built', async () => {
    const bare = createRendererProtocolHandler({ rendererDir: join(root, 'nothing-here') });
    const r = await bare(new Request('betti://app/index.html'));
    assert.equal(r.status, 404);
    assert.match(await r.text(), /npm start/);
  });

  it('does not follow a symlink out of the renderer folder', async () => {
    const r = await get('betti://app/assets/link.json');
    assert.equal(r.status, 404);
    assert.doesNotMatch(await r.text(), /secret/);
  });
});
