import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createInterface } from 'node:readline';
import { bettiBin } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Reply {
  status: number;
  body: string;
}

function call(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: opts.host ?? '127.0.0.1', port, path, method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('betti serve', () => {
  let port = 0;
  let token = '';
  let child: ReturnType<typeof spawn>;

  before(async () => {
    const dir = tempDir({ after });
    child = spawn(process.execPath, [bettiBin, '--db', join(dir, 'lib.db'), 'serve', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const started = JSON.parse(first) as { url: string; port: number };
    port = started.port;
    token = new URL(started.url).searchParams.get('token') ?? '';
  });

  after(() => {
    child.kill('SIGTERM');
  });

  const json = { 'content-type': 'application/json' };

  it('prints a loopback URL that carries a long random token', () => {
    assert.ok(port > 0);
    assert.ok(token.length >= 24, token);
  });

  it('answers an API call that has the token', async () => {
    const r = await call(port, '/api/app.info', { headers: { ...json, authorization: `Bearer ${token}` }, body: '{}' });
    assert.equal(r.status, 200, r.body);
    assert.equal((JSON.parse(r.body) as { name: string }).name, 'betti');
  });

  it('refuses an API call without the token with 401', async () => {
    const r = await call(port, '/api/app.info', { headers: json, body: '{}' });
    assert.equal(r.status, 401);
    assert.match(r.body, /token/);
  });

  it('refuses an API call with a wrong token with 401', async () => {
    const r = await call(port, '/api/app.info', { headers: { ...json, authorization: `Bearer ${token}x` }, body: '{}' });
    assert.equal(r.status, 401);
  });

  it('refuses a request from another Origin with 403, token or not', async () => {
    const r = await call(port, '/api/app.info', { headers: { ...json, authorization: `Bearer ${token}`, origin: 'http://evil.example' }, body: '{}' });
    assert.equal(r.status, 403);
  });

  it('refuses a request whose Host is not the loopback address (DNS rebinding) with 403', async () => {
    const r = await call(port, '/api/app.info', { headers: { ...json, authorization: `Bearer ${token}`, host: `evil.example:${port}` }, body: '{}' });
    assert.equal(r.status, 403);
  });

  it('answers 400 with the schema message for a body that breaks the schema', async () => {
    const r = await call(port, '/api/app.info', { headers: { ...json, authorization: `Bearer ${token}` }, body: '{"unexpected": true}' });
    assert.equal(r.status, 400);
    const err = (JSON.parse(r.body) as { error: { kind: string; message: string } }).error;
    assert.equal(err.kind, 'invalid-request');
    assert.match(err.message, /app\.info/);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const r = await call(port, '/api/app.info', { headers: { ...json, authorization: `Bearer ${token}` }, body: '{not json' });
    assert.equal(r.status, 400);
  });

  it('answers 404 for a method the contract does not have', async () => {
    const r = await call(port, '/api/no.such', { headers: { ...json, authorization: `Bearer ${token}` }, body: '{}' });
    assert.equal(r.status, 404);
  });

  it('opens the event stream with the token in the query', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/api/events?token=${token}`, method: 'GET' }, (res) => {
        res.setEncoding('utf8');
        res.once('data', (c: string) => {
          resolve(`${res.statusCode} ${res.headers['content-type']} ${c}`);
          req.destroy();
        });
      });
      req.on('error', reject);
      req.end();
    });
    assert.match(first, /^200 text\/event-stream : connected/);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await call(port, '/../../package.json', { method: 'GET' });
    assert.notEqual(r.status, 200);
  });

  it('listens on loopback only', async (t) => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) return t.skip('this machine has no non-loopback IPv4 interface to try');
    await assert.rejects(call(port, '/api/app.info', { host: external, headers: json, body: '{}' }), /ECONNREFUSED/);
  });
});
