import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticTarget = { file: string } | { status: 400 | 403 };

/**
 * Maps a request URL to a file under `root`, or to the status refusing it. Runs inside the agent
 * (root, on the host), so nothing here may throw: `%E0%A4%A` is not valid percent-encoding, NUL is
 * not a file name, and `..` (encoded or not) may not leave the site's directory.
 */
export function resolveStaticPath(root: string, rawUrl: string): StaticTarget {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\u0000')) return { status: 400 };
  // Normalised as an absolute path first, so `..` can climb at most to the site's root.
  const file = path.join(root, path.posix.normalize(`/${decoded}`));
  return isInside(root, file) ? { file } : { status: 403 };
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The file to send for `file` (a directory serves its index.html), or null when there is none inside the site. */
interface Servable {
  file: string;
  size: number;
}

async function servable(root: string, file: string): Promise<Servable | null> {
  try {
    let stat = await fs.promises.stat(file);
    if (stat.isDirectory()) {
      file = path.join(file, 'index.html');
      stat = await fs.promises.stat(file);
    }
    if (!stat.isFile()) return null;
    // A symlink in the artifact must not reach the host's files (/etc/shadow, the agent's token).
    const [real, realRoot] = await Promise.all([fs.promises.realpath(file), fs.promises.realpath(root)]);
    return isInside(realRoot, real) ? { file: real, size: stat.size } : null;
  } catch {
    return null;
  }
}

function send(res: http.ServerResponse, status: number, target: Servable | null, body = '') {
  if (!target) return void res.writeHead(status, { 'content-type': TYPES['.txt']! }).end(body);
  const { file, size } = target;
  const stream = fs.createReadStream(file);
  // A file that vanished or became unreadable between the stat and the read: an error stream
  // without a listener would be an uncaught exception.
  stream.once('error', () => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': TYPES['.txt']! }).end('Could not read the file\n');
    else res.destroy();
  });
  stream.once('open', () => {
    res.writeHead(status, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': size });
    if (res.req.method === 'HEAD') return void (stream.destroy(), res.end());
    stream.pipe(res);
  });
}

/** Answers one request for a static site rooted at `root` (GET and HEAD only). */
export async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
  const target = resolveStaticPath(root, req.url ?? '/');
  if ('status' in target) return send(res, target.status, null, target.status === 400 ? 'Bad request\n' : 'Forbidden\n');
  const file = await servable(root, target.file);
  if (file) return send(res, 200, file);
  return send(res, 404, await servable(root, path.join(root, '404.html')), 'Not found\n');
}
