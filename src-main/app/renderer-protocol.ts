// The betti:// protocol handler: serves the built renderer (out/renderer) and nothing else, with
// the renderer's Content-Security-Policy as a real response header (a <meta> policy cannot carry
// frame-ancestors, and file:// pages get no headers at all).
//
// It is a plain function Request → Response, so tests call it in Node; the app passes it to
// protocol.handle(RENDERER_SCHEME, …). Files are read with fs, which Electron makes transparent
// for app.asar, so the same code serves the packaged app.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { RENDERER_CSP } from '../server/renderer-csp.ts';
import { RENDERER_HOST } from './renderer-location.ts';

/** What the renderer build emits. Anything else is refused rather than served as a guess. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export type ProtocolHandler = (request: Request) => Promise<Response>;

export interface RendererProtocolOptions {
  /** Absolute path of the built renderer (out/renderer). */
  rendererDir: string;
  /** The policy sent with every response; the renderer's by default. */
  csp?: string;
}

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
  });
}

export function createRendererProtocolHandler(opts: RendererProtocolOptions): ProtocolHandler {
  const root = resolve(opts.rendererDir);
  const csp = opts.csp ?? RENDERER_CSP;
  let realRoot: string | undefined;
  return async (request) => {
    const url = new URL(request.url);
    if (url.hostname.toLowerCase() !== RENDERER_HOST) return plain(404, `no such host: ${url.hostname}`, csp);
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, `${request.method} is not allowed`, csp);
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return plain(400, 'malformed path', csp);
    }
    if (rel.includes('\0')) return plain(400, 'malformed path', csp);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = resolve(join(root, rel));
    // join() + resolve() collapse "..": anything that lands outside the renderer folder is refused.
    if (!file.startsWith(root + sep)) return plain(404, 'not found', csp);
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (!type) return plain(404, 'not found', csp);
    try {
      if (!(await stat(file)).isFile()) return plain(404, 'not found', csp);
      // A symlink inside the folder must not lead out of it either.
      realRoot ??= await realpath(root);
      if (!(await realpath(file)).startsWith(realRoot + sep)) return plain(404, 'not found', csp);
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: {
          'content-type': type,
          'content-length': String(body.byteLength),
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return plain(404, rel === '/index.html' ? 'The Betti renderer is not built. Run `npm start` (or `npm run build:renderer`).' : 'not found', csp);
      }
      return plain(500, `cannot read ${rel}: ${code ?? String(err)}`, csp);
    }
  };
}
