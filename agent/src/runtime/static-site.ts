import http from 'node:http';
import path from 'node:path';
import type { ServiceUsage } from '@syntra/shared';
import type { Instance, InstanceSpec } from './instance.js';
import { serveStatic } from './static-files.js';

/** The start command the build gives static sites: `syntra-static <dir>`. */
export const STATIC_COMMAND = 'syntra-static';

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
    // The directory comes from the service's start command: it may not name the host's files.
    const rel = path.relative(path.resolve(this.spec.workdir!), this.root);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${STATIC_COMMAND}: the directory must be inside the release`);
    this.server = http.createServer((req, res) => {
      serveStatic(this.root, req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    // The site runs inside the agent: a client's broken socket must not become an uncaught 'error'.
    this.server.on('clientError', (_err, socket) => socket.destroy());
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
