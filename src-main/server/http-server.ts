// `betti serve`: the BettiApi over loopback HTTP plus server-sent events, and the built renderer.
// Routes come from the contract (POST routeOf(method), GET EVENTS_ROUTE). Security: bound to
// 127.0.0.1 only; every /api request needs the random token (Authorization: Bearer, or ?token=
// for EventSource, which cannot set headers) → 401 otherwise; a browser request from another
// Origin, or with a Host that is not this loopback address (DNS rebinding), → 403; bodies are
// schema-validated → 400 with the schema's message.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { EVENTS_ROUTE, isMethodName, routeOf } from '../api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import { BettiError, toWireError, type ErrorKind } from '../api/errors.ts';
import type { EventBus } from '../api/events.ts';
import type { BettiService } from '../api/service.ts';
import { RENDERER_CSP } from './renderer-csp.ts';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const API_PREFIX = routeOf('app.info').slice(0, routeOf('app.info').lastIndexOf('/') + 1);

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  'invalid-request': 400,
  'not-found': 404,
  'file-changed': 409,
  busy: 409,
  cancelled: 409,
  'unsupported-format': 422,
  'decode-failed': 422,
  'tag-read-failed': 422,
  'tag-write-failed': 422,
  'model-invalid': 500,
  'version-mismatch': 500,
  io: 500,
  internal: 500,
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface BettiServerOptions {
  service: BettiService;
  bus: EventBus;
  /** Folder of the built renderer (out/renderer); absent → the API only, with a page saying so. */
  rendererDir?: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  server: Server;
  port: number;
  token: string;
  /** The URL a person opens: loopback, with the token. */
  url: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, kind: ErrorKind, message: string, hint?: string): void {
  sendJson(res, status, { error: hint ? { kind, message, hint } : { kind, message } });
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BettiError('invalid-request', `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BettiError('invalid-request', 'request body is not valid JSON', { hint: 'Send the request object as a JSON document.' });
  }
}

export async function startBettiServer(opts: BettiServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = opts.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const serveStatic = (pathname: string, res: ServerResponse) => {
    const dir = opts.rendererDir;
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The Betti renderer is not built. Run `npm run build:renderer`, then reload.');
      return;
    }
    const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    const file = join(dir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'content-security-policy': RENDERER_CSP,
    });
    createReadStream(file).pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().has(req.headers.host ?? '')) return sendError(res, 403, 'invalid-request', 'wrong Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return sendError(res, 403, 'invalid-request', `requests from ${origin} are not allowed`);
    }
    if (!url.pathname.startsWith(API_PREFIX)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'invalid-request', 'method not allowed');
      return serveStatic(url.pathname, res);
    }
    const given = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? url.searchParams.get('token') ?? '';
    if (!sameToken(given, token)) {
      return sendError(res, 401, 'invalid-request', 'missing or wrong token', 'Open the URL `betti serve` printed; it carries the token.');
    }
    if (url.pathname === EVENTS_ROUTE && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      const off = opts.bus.onAny((event, payload) => res.write(`data: ${JSON.stringify({ event, payload })}\n\n`));
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => {
        off();
        clearInterval(ping);
      });
      return;
    }
    const name = url.pathname.slice(API_PREFIX.length);
    if (!isMethodName(name)) return sendError(res, 404, 'not-found', `no API method ${name}`);
    if (req.method !== 'POST') return sendError(res, 405, 'invalid-request', `${name} takes POST`);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, 415, 'invalid-request', 'send the request as application/json');
    }
    try {
      const body = await readBody(req);
      sendJson(res, 200, await dispatch(opts.service, name, body));
    } catch (err) {
      const wire = toWireError(err);
      sendJson(res, STATUS_OF_KIND[wire.kind], { error: wire });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: toWireError(err) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
