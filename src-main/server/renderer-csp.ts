// The Content-Security-Policy of the renderer page, in one place. Both hosts of the renderer send
// it as a response header: `betti serve` (server/http-server.ts) and the desktop app's betti://
// protocol (app/renderer-protocol.ts). src-renderer/index.html repeats it in a <meta> tag for the
// Vite dev server; test/app/csp.test.ts checks that the three agree.
//
// Everything comes from the page's own origin: no remote scripts, styles, fonts or connections,
// no plugins, no <base> rewriting, no form posts, and the page may not be framed. Styles allow
// 'unsafe-inline' because Svelte's style: directives and transitions write style attributes.

export const RENDERER_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Directives a browser ignores when the policy comes from a <meta> tag (CSP3 §3.3). */
export const HEADER_ONLY_DIRECTIVES: readonly string[] = ['frame-ancestors', 'report-uri', 'sandbox'];

function serialise(directives: Readonly<Record<string, readonly string[]>>, skip: readonly string[]): string {
  return Object.entries(directives)
    .filter(([name]) => !skip.includes(name))
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy as the Content-Security-Policy response header carries it. */
export const RENDERER_CSP = serialise(RENDERER_CSP_DIRECTIVES, []);

/** The same policy without the header-only directives, as index.html's <meta> tag carries it. */
export const RENDERER_META_CSP = serialise(RENDERER_CSP_DIRECTIVES, HEADER_ONLY_DIRECTIVES);

/** Parses a policy string into directive → sources, for comparing policies regardless of order. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}
