import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as NodeWebSocket } from 'ws';
import { TERMINAL_SUBPROTOCOL, ticketProtocol } from '@syntra/shared';
import { TerminalConnection } from '../src/renderer/features/terminal/terminal-connection.js';

// The console's class runs on the browser's WebSocket; `ws` offers the same API in Node.
globalThis.WebSocket ??= NodeWebSocket as unknown as typeof WebSocket;

describe('the console end of a terminal session, against a stand-in relay', () => {
  it('reconnects with the ticket the last attach handed out, not the one it spent', async () => {
    // Speaks the relay's side of the console socket (shared/src/api/terminal.ts): select the terminal
    // subprotocol, hand out the next ticket first, then drop the socket as a network blip would.
    const offered: string[][] = [];
    const relay = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (p.has(TERMINAL_SUBPROTOCOL) ? TERMINAL_SUBPROTOCOL : false) });
    relay.on('connection', (ws, req) => {
      offered.push(String(req.headers['sec-websocket-protocol']).split(',').map((p) => p.trim()));
      if (offered.length > 1) return;
      ws.send(JSON.stringify({ type: 'ticket', ticket: 'next-ticket' }));
      setTimeout(() => ws.terminate(), 50);
    });
    await once(relay, 'listening');
    const { port } = relay.address() as AddressInfo;
    const states: string[] = [];
    const conn = new TerminalConnection(`ws://127.0.0.1:${port}/api/v1/terminal/s`, '2b0c6a52-0f5e-4c55-9a55-1d2b3c4d5e6f', 'first-ticket', {
      output: () => undefined,
      message: () => undefined,
      state: (s) => states.push(s),
    });
    try {
      conn.connect();
      for (const until = Date.now() + 10_000; offered.length < 2 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    } finally {
      conn.dispose();
      relay.close();
    }
    expect(states).toContain('reconnecting');
    expect(offered[0]).toContain(ticketProtocol('first-ticket'));
    expect(offered[1]).toContain(ticketProtocol('next-ticket'));
    expect(offered[1]).not.toContain(ticketProtocol('first-ticket'));
  });
});
