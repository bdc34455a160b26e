import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { AGENT_WS_PATH, STREAM_PATH, TERMINAL_WS_PATH_PREFIX } from '@syntra/shared';
import type { AppDeps } from './deps.js';

/**
 * Routes WebSocket upgrades of the HTTP server: `/agent/ws` to the agent hub, `/api/v1/stream` to
 * the console stream; anything else is refused. Starts both (timers, Redis subscriptions).
 */
export async function attachRealtime(server: http.Server, deps: AppDeps): Promise<{ stop(): Promise<void> }> {
  const { agentHub, stream, terminalRelay } = deps.services;
  await Promise.all([agentHub.start(), stream.start(), terminalRelay.start()]);
  const route = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === AGENT_WS_PATH) return agentHub.handleUpgrade(req, socket, head);
    if (pathname === STREAM_PATH) return void stream.handleUpgrade(req, socket, head).catch(() => socket.destroy());
    if (pathname.startsWith(TERMINAL_WS_PATH_PREFIX)) return terminalRelay.handleUpgrade(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  };
  // An 'upgrade' listener runs outside Koa: whatever it throws (`GET //` is not a URL) would be an
  // uncaught exception of the whole process. One bad handshake only loses its own socket.
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    try {
      route(req, socket, head);
    } catch (err) {
      deps.logger.warn({ err, url: req.url?.slice(0, 200) }, 'refused a malformed upgrade request');
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
  };
  server.on('upgrade', onUpgrade);
  return {
    stop: async () => {
      server.off('upgrade', onUpgrade);
      await Promise.all([terminalRelay.stop(), agentHub.stop(), stream.stop()]);
    },
  };
}
