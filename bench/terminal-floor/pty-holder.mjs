// The architecture's floor, agent half: dials the relay over WebSocket and runs one shell in a
// node-pty. Input messages go to the pty; output goes back with the agent's batching rule (at once
// when interactive, else gathered up to 64 KiB or 1 ms), without framing, sequence numbers, flow
// control or scrollback.
import pty from '@lydell/node-pty';
import { WebSocket } from 'ws';

const ws = new WebSocket(`ws://127.0.0.1:${process.argv[2]}/agent`, { perMessageDeflate: false });
await new Promise((resolve) => ws.once('open', resolve));
const shell = pty.spawn('/bin/bash', ['--norc', '--noprofile', '-i'], { name: 'xterm-256color', cols: 120, rows: 40, encoding: null });
let pending = [];
let pendingBytes = 0;
let timer = null;
let lastFlushAt = 0;
const flush = () => {
  if (timer) clearTimeout(timer);
  timer = null;
  if (!pendingBytes) return;
  ws.send(pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes), { binary: true });
  pending = [];
  pendingBytes = 0;
  lastFlushAt = performance.now();
};
shell.onData((data) => {
  pending.push(data);
  pendingBytes += data.length;
  if (pendingBytes >= 64 * 1024 || (timer === null && performance.now() - lastFlushAt >= 1)) return flush();
  timer ??= setTimeout(flush, 1);
});
ws.on('message', (data) => shell.write(data));
ws.on('close', () => shell.kill());
shell.onExit(() => process.exit(0));
process.send?.({ ready: true });
