import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/**
 * Security headers on every answer (web console and API), through helmet:
 * - CSP as a header (the meta tag in index.html cannot carry `frame-ancestors`). What the console
 *   needs: its own scripts only; inline styles (React style props, xterm.js' injected <style>);
 *   avatars from the OAuth providers (https:) and data: icons; REST and WebSockets to this origin
 *   only (`'self'` covers ws/wss of the same host in CSP3; the public URL's ws origin is listed
 *   for browsers that do not).
 * - `X-Frame-Options: DENY` for browsers without frame-ancestors; `Referrer-Policy: no-referrer`
 *   (invite links carry their token in the path); `X-Content-Type-Options: nosniff`.
 * - HSTS only over TLS: PUBLIC_URL is https, or the request came over https (X-Forwarded-Proto
 *   counts when SYNTRA_TRUST_PROXY is on). Over plain http it would be ignored at best.
 * - `Cache-Control: no-store` on API answers: they may carry secrets (revealed env values, new
 *   tokens) that must not land in the browser's disk cache. A route may still set its own.
 * Cross-Origin-Resource-Policy stays unset: the desktop app loads the API from its own origin.
 */
export function securityHeaders(opts: { publicUrl: string; publicUrlIsHttps: boolean }): Middleware {
  const publicWs = new URL(opts.publicUrl);
  publicWs.protocol = publicWs.protocol === 'https:' ? 'wss:' : 'ws:';
  const common = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", publicWs.origin],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(opts.publicUrlIsHttps ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: 'deny' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginResourcePolicy: false,
  };
  const plain = helmet({ ...common, strictTransportSecurity: false });
  const tls = helmet({ ...common, strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false } });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/')) ctx.set('Cache-Control', 'no-store');
    await (opts.publicUrlIsHttps || ctx.protocol === 'https' ? tls : plain)(ctx, next);
  };
}
