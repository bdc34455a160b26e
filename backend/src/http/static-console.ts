import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Middleware } from 'koa';
import { LAYOUT } from '../install-layout.js';

/** The built web console: dist/web in the release, desktop/dist/web (`npm run build:web -w @syntra/desktop`) from source. */
export const DEFAULT_CONSOLE_DIR = LAYOUT.consoleDir;

/** Paths the console never answers, even when nothing else did: they belong to the API, agents and probes. */
const RESERVED = [/^\/api(\/|$)/, /^\/agent(\/|$)/, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/install\.sh$/, /^\/v1\//];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.map', '.txt']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Syntra</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The web console is not built yet</h1>
<p>The API is running. To get the console at this address, build it once:</p>
<pre>npm run build:web -w @syntra/desktop</pre>
<p><code>npm start</code> does this for you when the build is missing or outdated.</p></body>`;

interface CachedFile {
  mtimeMs: number;
  body: Buffer;
  gzip: Buffer | null;
}

/**
 * Serves the built web console: hashed files under /assets/ cached for a year as immutable,
 * index.html never cached (so a deploy is picked up at once), and index.html for every other
 * GET that nothing else answered, so browser routes (/servers/…) survive a reload.
 */
export function staticConsole(dir: string = DEFAULT_CONSOLE_DIR): Middleware {
  const root = path.resolve(dir);
  const cache = new Map<string, CachedFile>();

  const load = async (file: string): Promise<CachedFile | null> => {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      return null;
    }
    if (!stat.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs) return hit;
    const body = await fs.promises.readFile(file);
    const entry = { mtimeMs: stat.mtimeMs, body, gzip: COMPRESSIBLE.has(path.extname(file)) && body.length > 1024 ? zlib.gzipSync(body) : null };
    cache.set(file, entry);
    return entry;
  };

  return async (ctx, next) => {
    await next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    if (ctx.status !== 404 || ctx.body != null) return;
    if (RESERVED.some((r) => r.test(ctx.path))) return;

    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path);
    } catch {
      return;
    }
    // Not a file name, and not a browser route either: left to the 404.
    if (relative.includes('\u0000')) return;
    const candidate = path.resolve(root, `.${path.posix.normalize(relative)}`);
    const inside = candidate.startsWith(root + path.sep);
    const isAsset = relative.startsWith('/assets/');
    let file = inside && relative !== '/' ? await load(candidate) : null;
    let served = candidate;
    if (!file) {
      // A missing hashed asset is a real 404 (an old tab after a deploy), never index.html.
      if (isAsset || path.extname(relative) !== '') return;
      served = path.join(root, 'index.html');
      file = await load(served);
      if (!file) {
        ctx.status = 503;
        ctx.type = 'text/html; charset=utf-8';
        ctx.set('Cache-Control', 'no-store');
        ctx.body = NOT_BUILT;
        return;
      }
    }
    ctx.status = 200;
    ctx.type = TYPES[path.extname(served)] ?? 'application/octet-stream';
    ctx.set('Cache-Control', isAsset ? IMMUTABLE : 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.vary('Accept-Encoding');
    if (file.gzip && ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = file.gzip;
    } else {
      ctx.body = file.body;
    }
  };
}
