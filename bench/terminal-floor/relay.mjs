// The architecture's floor, relay half: a WebSocket server that passes every message between one
// "agent" socket (/agent) and one "console" socket (/console) untouched. No auth, framing, flow
// control, audit or routing: what any relay through the control plane costs at the least.
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
let agent = null;
let consoleWs = null;
wss.on('listening', () => process.send?.({ port: wss.address().port }));
wss.on('connection', (ws, req) => {
  if (req.url === '/agent') {
    agent = ws;
    ws.on('message', (data, isBinary) => consoleWs?.send(data, { binary: isBinary }));
  } else {
    consoleWs = ws;
    ws.on('message', (data, isBinary) => agent?.send(data, { binary: isBinary }));
  }
});
