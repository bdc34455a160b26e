import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ServiceUsage } from '@syntra/shared';
import type { Instance, InstanceSpec } from './instance.js';

/** The start command the build gives static sites: `syntra-static <dir>`. */
export const STATIC_COMMAND = 'syntra-static';

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

/** A static site served by a small file server inside the agent (no child process needed). */
export class StaticSiteInstance implements Instance {
  readonly host = '127.0.0.1';
  private server: http.Server | null = null;
  private readonly root: string;

  constructor(readonly spec: InstanceSpec) {
    const dir = spec.startCommand!.trim().slice(STATIC_COMMAND.length).trim() || '.';
    this.root = path.resolve(spec.workdir!, dir);
  }

  get port() {
    return this.spec.port;
  }

  async start() {
    this.server = http.createServer((req, res) => {
      const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      let file = path.join(this.root, path.normalize(urlPath));
      if (!file.startsWith(this.root)) return void res.writeHead(403).end();
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) {
        const fallback = path.join(this.root, '404.html');
        res.writeHead(404, { 'content-type': TYPES['.html']! });
        return void (fs.existsSync(fallback) ? fs.createReadStream(fallback).pipe(res) : res.end('Not found'));
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(this.spec.port, this.host, resolve));
    this.spec.onLog('system', `serving ${this.root} statically`);
  }

  state(): ServiceUsage['state'] {
    return this.server?.listening ? 'running' : 'stopped';
  }

  restarts() {
    return 0;
  }

  async stop() {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeIdleConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
