import net from 'node:net';

export interface TcpBalancer {
  port: number;
  url: string;
  /** Connections accepted per backend port, in order. */
  readonly accepted: number[];
  close(): Promise<void>;
}

/**
 * Stands in for a load balancer in front of several `syntra api` nodes: each new connection goes to the
 * first backend that accepts one (health by trying), so when a node dies its clients' reconnects land on
 * the next. Plain TCP, so HTTP and WebSocket upgrades pass through untouched.
 */
export async function startTcpBalancer(backends: readonly number[]): Promise<TcpBalancer> {
  const accepted: number[] = [];
  const sockets = new Set<net.Socket>();
  const connectFirst = (i: number, client: net.Socket) => {
    if (i >= backends.length) return client.destroy();
    const upstream = net.connect(backends[i]!, '127.0.0.1');
    let connected = false;
    upstream.on('error', () => {
      if (!connected) connectFirst(i + 1, client);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      accepted.push(backends[i]!);
      sockets.add(upstream);
      upstream.on('close', () => (sockets.delete(upstream), client.destroy()));
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    connectFirst(0, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
