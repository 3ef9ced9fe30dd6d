// Where Betti's own page lives, and the one test of "is this URL Betti's page?" that the sender
// check, the navigation guard and the request filter share.
//
// The built renderer is served from the custom scheme betti://app/ (app/renderer-protocol.ts),
// not from file:// (Electron security checklist §18: a file:// page may read every file on the
// machine; a custom scheme serves exactly out/renderer). During development the page may
// instead come from a Vite dev server on loopback, named by BETTI_RENDERER_URL; a packaged app
// ignores that variable.
import { BettiError } from '../api/errors.ts';

export const RENDERER_SCHEME = 'betti';
export const RENDERER_HOST = 'app';
/** The page the main window loads when the renderer is the built one. */
export const BUILT_RENDERER_ENTRY = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** Privileges of betti://: a standard, secure scheme (relative URLs, web storage, fetch); no CSP bypass, no CORS. */
export const RENDERER_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

export interface RendererLocation {
  /** The URL the main window loads. */
  readonly entryUrl: string;
  /** 'built': betti://app/ serves out/renderer; 'dev-server': a Vite dev server on loopback. */
  readonly kind: 'built' | 'dev-server';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The renderer to load: the built one, or (unpackaged only) the dev server BETTI_RENDERER_URL
 * names, which must be plain http on a loopback address — never remote content.
 */
export function rendererLocation(env: NodeJS.ProcessEnv, isPackaged: boolean): RendererLocation {
  const dev = env.BETTI_RENDERER_URL;
  if (!dev || isPackaged) return { entryUrl: BUILT_RENDERER_ENTRY, kind: 'built' };
  let url: URL;
  try {
    url = new URL(dev);
  } catch {
    throw new BettiError('invalid-request', `BETTI_RENDERER_URL=${dev} is not a URL`, { hint: 'Set it to the Vite dev server, e.g. http://127.0.0.1:5173/, or unset it.' });
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname) || url.username || url.password) {
    throw new BettiError('invalid-request', `BETTI_RENDERER_URL=${dev} is not a loopback http URL`, {
      hint: 'Betti loads no remote content: point it at a dev server on 127.0.0.1 or localhost, or unset it.',
    });
  }
  return { entryUrl: url.href, kind: 'dev-server' };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is a page or resource of Betti's own renderer: same scheme, host and port as
 * the entry. Compared on parsed URLs, never by string prefix (betti://app.evil/ must not pass).
 * WHATWG URL gives non-special schemes an opaque origin, so scheme + host + port are compared.
 */
export function isRendererUrl(url: string, location: RendererLocation): boolean {
  const u = parse(url);
  const entry = parse(location.entryUrl);
  if (!u || !entry) return false;
  return u.protocol === entry.protocol && u.hostname.toLowerCase() === entry.hostname.toLowerCase() && u.port === entry.port && u.username === '' && u.password === '';
}
