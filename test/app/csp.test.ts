// One Content-Security-Policy for the renderer, wherever the page is served from: the desktop
// app's betti:// protocol and session, `betti serve`, and index.html's <meta> for the Vite dev
// server. The policy is also checked as data against what "strict" means here.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRendererProtocolHandler } from '../../src-main/app/renderer-protocol.ts';
import { withRendererCsp } from '../../src-main/app/security.ts';
import { createContext } from '../../src-main/api/context.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';
import { startBettiServer } from '../../src-main/server/http-server.ts';
import { HEADER_ONLY_DIRECTIVES, parseCsp, RENDERER_CSP, RENDERER_META_CSP } from '../../src-main/server/renderer-csp.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

function metaCsp(html: string): string {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  assert.ok(m, 'index.html has a Content-Security-Policy <meta> tag');
  return m[1] ?? '';
}

function headerOf(port: number, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      const value = res.headers['content-security-policy'];
      resolve(Array.isArray(value) ? value.join(', ') : value);
    });
    req.on('error', reject);
    req.end();
  });
}

describe("the renderer's Content-Security-Policy", () => {
  const policy = parseCsp(RENDERER_CSP);

  it('loads scripts, styles, images, fonts and connections only from the page itself', () => {
    assert.deepEqual(policy.get('default-src'), ["'self'"]);
    assert.deepEqual(policy.get('script-src'), ["'self'"]);
    assert.deepEqual(policy.get('connect-src'), ["'self'"]);
    assert.deepEqual(policy.get('font-src'), ["'self'"]);
    assert.deepEqual(policy.get('img-src'), ["'self'", 'data:', 'blob:']);
    assert.deepEqual(policy.get('style-src'), ["'self'", "'unsafe-inline'"]);
  });

  it('allows no eval, no inline script and no remote host anywhere', () => {
    for (const [name, sources] of policy) {
      for (const s of sources) {
        assert.ok(!["'unsafe-eval'", "'wasm-unsafe-eval'", '*', 'http:', 'https:'].includes(s), `${name} ${s}`);
        assert.ok(!/^https?:\/\//.test(s), `${name} names a host: ${s}`);
      }
      if (name === 'script-src' || name === 'default-src') assert.ok(!sources.includes("'unsafe-inline'"), name);
    }
  });

  it('closes what default-src does not cover: plugins, <base>, forms and framing', () => {
    assert.deepEqual(policy.get('object-src'), ["'none'"]);
    assert.deepEqual(policy.get('base-uri'), ["'none'"]);
    assert.deepEqual(policy.get('form-action'), ["'none'"]);
    assert.deepEqual(policy.get('frame-ancestors'), ["'none'"]);
  });

  it("is index.html's <meta> policy, less only what a <meta> tag cannot carry", () => {
    const html = readFileSync(join(repoRoot, 'src-renderer/index.html'), 'utf8');
    const meta = parseCsp(metaCsp(html));
    const expected = new Map([...policy].filter(([name]) => !HEADER_ONLY_DIRECTIVES.includes(name)));
    assert.deepEqual(meta, expected);
    assert.equal(metaCsp(html), RENDERER_META_CSP);
  });

  it('is the header the desktop protocol sends with the page', async () => {
    const dir = tempDir({ after });
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const r = await createRendererProtocolHandler({ rendererDir: dir })(new Request('betti://app/index.html'));
    assert.equal(r.headers.get('content-security-policy'), RENDERER_CSP);
  });

  it('is the header the desktop session puts on every response (the dev server too)', () => {
    assert.deepEqual(withRendererCsp({})['Content-Security-Policy'], [RENDERER_CSP]);
  });

  it('is the header `betti serve` sends with the page', async () => {
    const dir = tempDir({ after });
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const bus = new EventBus();
    const ctx = createContext({ dbPath: join(dir, 'library.db'), bus });
    const server = await startBettiServer({ service: createService(ctx), bus, rendererDir: dir });
    try {
      assert.equal(await headerOf(server.port, '/'), RENDERER_CSP);
    } finally {
      await server.close();
      ctx.close();
    }
  });
});
