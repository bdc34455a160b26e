import http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Upstream } from './upstream.js';

interface Route {
  serviceId: string;
  domains: string[];
  upstream: Upstream | null;
  listener: http.Server | null;
  port: number | null;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

/**
 * The agent's edge: routes requests by Host (any number of domain listeners, HTTP now, HTTPS later
 * through `attach(httpsServer)`) and by a stable per-service port, to the service's current
 * healthy instance. `switch` swaps the instance atomically: requests already in flight finish on the
 * old one (see `Upstream.drained`), new requests go to the new one.
 */
export class EdgeProxy {
  private readonly routes = new Map<string, Route>();
  private readonly byHost = new Map<string, string>();
  private readonly servers = new Set<http.Server | https.Server>();
  /** Counters for the bench: requests proxied and the ones that failed at the edge. */
  readonly counters = { proxied: 0, failed: 0 };

  /** Serves domain-routed traffic on an existing server (plain HTTP or TLS-terminating HTTPS). */
  attach(server: http.Server | https.Server) {
    server.on('request', (req, res) => this.guarded(res, () => this.handle(req, res, this.serviceForHost(req.headers.host))));
    server.on('upgrade', (req, socket: Duplex, head) => this.guardedUpgrade(socket, () => this.upgrade(req, socket, head, this.serviceForHost(req.headers.host))));
    server.on('clientError', (_err, socket: Duplex) => socket.destroy());
    this.servers.add(server);
  }

  /** Starts a plain HTTP listener for domain routing; returns its port. */
  async listenHttp(port: number, host = '0.0.0.0'): Promise<number> {
    const server = http.createServer();
    this.attach(server);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    return (server.address() as net.AddressInfo).port;
  }

  /** Declares a service's domains and stable port (opening that port's listener when it changes). */
  async configure(serviceId: string, opts: { domains: readonly string[]; port: number | null }) {
    const route = this.routes.get(serviceId) ?? { serviceId, domains: [], upstream: null, listener: null, port: null };
    for (const d of route.domains) if (this.byHost.get(d) === serviceId) this.byHost.delete(d);
    route.domains = opts.domains.map((d) => d.toLowerCase());
    for (const d of route.domains) this.byHost.set(d, serviceId);
    if (route.port !== opts.port) {
      if (route.listener) await closeServer(route.listener);
      route.listener = null;
      route.port = opts.port;
      if (opts.port) {
        const listener = http.createServer((req, res) => this.guarded(res, () => this.handle(req, res, serviceId)));
        listener.on('upgrade', (req, socket: Duplex, head) => this.guardedUpgrade(socket, () => this.upgrade(req, socket, head, serviceId)));
        listener.on('clientError', (_err, socket: Duplex) => socket.destroy());
        await new Promise<void>((resolve, reject) => listener.once('error', reject).listen(opts.port!, '0.0.0.0', resolve));
        route.listener = listener;
      }
    }
    this.routes.set(serviceId, route);
  }

  current(serviceId: string): Upstream | null {
    return this.routes.get(serviceId)?.upstream ?? null;
  }

  /** Atomically points the service at a new instance; returns the previous upstream (to drain). */
  switch(serviceId: string, next: Upstream): Upstream | null {
    const route = this.routes.get(serviceId);
    if (!route) throw new Error(`edge: service ${serviceId} is not configured`);
    const previous = route.upstream;
    route.upstream = next;
    return previous;
  }

  async remove(serviceId: string) {
    const route = this.routes.get(serviceId);
    if (!route) return;
    this.routes.delete(serviceId);
    for (const d of route.domains) if (this.byHost.get(d) === serviceId) this.byHost.delete(d);
    if (route.listener) await closeServer(route.listener);
  }

  async close() {
    for (const id of [...this.routes.keys()]) await this.remove(id);
    for (const s of this.servers) await closeServer(s);
    this.servers.clear();
  }

  /**
   * The edge runs inside the agent: a throw from a request listener (a header Node refuses to
   * forward, a status code out of range from a tenant's app) would be an uncaught exception and end
   * the agent with every service it proxies. One bad request costs only its own response.
   */
  private guarded(res: http.ServerResponse, run: () => void) {
    try {
      run();
    } catch {
      this.counters.failed += 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway\n');
      else res.destroy();
    }
  }

  private guardedUpgrade(socket: Duplex, run: () => void) {
    socket.on('error', () => undefined);
    try {
      run();
    } catch {
      socket.destroy();
    }
  }

  private serviceForHost(hostHeader: string | undefined): string | null {
    const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
    const exact = this.byHost.get(host);
    if (exact) return exact;
    const dot = host.indexOf('.');
    return dot > 0 ? (this.byHost.get(`*${host.slice(dot)}`) ?? null) : null;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, serviceId: string | null) {
    const upstream = serviceId ? this.routes.get(serviceId)?.upstream : null;
    if (!upstream) {
      res.writeHead(serviceId ? 503 : 404, { 'content-type': 'text/plain' }).end(serviceId ? 'Service not running\n' : 'Unknown host\n');
      return;
    }
    const target = upstream.pick();
    upstream.begin();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      upstream.end();
    };
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    headers['x-forwarded-host'] ??= req.headers.host ?? '';
    headers['x-forwarded-proto'] ??= 'encrypted' in req.socket ? 'https' : 'http';
    let out: http.ClientRequest;
    try {
      out = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: upstream.agent }, (up) => {
        up.on('end', finish);
        up.on('error', finish);
        const resHeaders = { ...up.headers };
        for (const h of HOP_BY_HOP) delete resHeaders[h];
        try {
          res.writeHead(up.statusCode ?? 502, resHeaders);
        } catch {
          // The app answered something Node will not pass on (e.g. status 99, a header with a control character).
          up.destroy();
          this.counters.failed += 1;
          return void res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway: the service sent an invalid response\n');
        }
        up.pipe(res);
      });
    } catch (err) {
      finish();
      throw err;
    }
    out.on('error', () => {
      finish();
      this.counters.failed += 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway\n');
      else res.destroy();
    });
    res.on('close', finish);
    // An aborted upload ends the forwarded request too; neither error may go unheard.
    req.on('error', () => out.destroy());
    res.on('error', () => out.destroy());
    this.counters.proxied += 1;
    req.pipe(out);
  }

  /** WebSocket and other upgrades: a raw TCP tunnel to the current instance. */
  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, serviceId: string | null) {
    const upstream = serviceId ? this.routes.get(serviceId)?.upstream : null;
    if (!upstream) return void socket.destroy();
    const target = upstream.pick();
    const conn = net.connect(target.port, target.host, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      conn.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) conn.write(head);
      socket.pipe(conn).pipe(socket);
    });
    conn.on('error', () => socket.destroy());
    socket.on('error', () => conn.destroy());
  }
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
