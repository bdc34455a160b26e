import net from 'node:net';

export interface IdleProxy {
  url: string;
  /** Connections this proxy cut for being idle. */
  dropped: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy that cuts a connection when its upstream sends nothing for `idleMs`, as nginx does
 * with `proxy_read_timeout` (60 s by default) and most load balancers with their idle timeouts.
 */
export async function startIdleProxy(upstreamPort: number, idleMs: number): Promise<IdleProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: IdleProxy = { url: '', dropped: 0, close: () => Promise.resolve() };
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    let idle: NodeJS.Timeout | null = null;
    const rearm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        proxy.dropped += 1;
        client.destroy();
        upstream.destroy();
      }, idleMs);
    };
    rearm();
    upstream.on('data', rearm);
    const stop = () => {
      if (idle) clearTimeout(idle);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', stop);
    upstream.on('close', stop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
