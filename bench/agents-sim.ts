/**
 * The agent simulator of `npm run bench -- agents`, a process of its own: holds N agent sockets
 * against one api node, each saying hello, heartbeating at the interval from hello_ack (15 s by
 * default, random phase) and answering commands at once. Driven over IPC by bench/agents.ts.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { buildFrame, type PayloadOf } from '@syntra/shared';

interface Sim {
  ws: WebSocket;
  timer: NodeJS.Timeout | null;
  acked: boolean;
}

const url = process.argv[2]!;
const sims: Sim[] = [];
const stats = { connecting: 0, acked: 0, closed: 0, heartbeats: 0, pongs: 0, commands: 0, errors: 0 };

const usage = (): PayloadOf<'heartbeat'> => ({
  resources: { cpu_percent: Math.round(Math.random() * 1000) / 10, memory_used_mb: 1000 + Math.random() * 500, disk_used_gb: 20, load_avg: [0.5, 0.4, 0.3] },
  services: [],
});

function helloPayload(i: number): PayloadOf<'agent_hello'> {
  return {
    agent_id: randomUUID(), version: '0.1.0', protocol: 1, runtime: 'process', runtime_version: 'node 20',
    os: { name: 'debian', version: '12' }, arch: 'x64',
    network: { hostname: `sim-${i}`, public_ip: null, private_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
    resources: { cpu_cores: 4, memory_total_mb: 8192, disk_total_gb: 80 }, capabilities: ['command:host.info'], last_acked_telemetry_seq: 0,
  };
}

function connect(token: string, i: number) {
  stats.connecting += 1;
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/agent/ws`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  const sim: Sim = { ws, timer: null, acked: false };
  sims.push(sim);
  ws.on('open', () => ws.send(JSON.stringify(buildFrame('agent_hello', helloPayload(i), randomUUID()))));
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'hello_ack') {
      sim.acked = true;
      stats.acked += 1;
      stats.connecting -= 1;
      const every = frame.payload.config.heartbeat_interval_seconds * 1000;
      const beat = () => {
        stats.heartbeats += 1;
        ws.send(JSON.stringify(buildFrame('heartbeat', usage(), randomUUID())));
      };
      // Random phase so the N heartbeats spread over the interval, as real agents' do.
      sim.timer = setTimeout(() => {
        beat();
        sim.timer = setInterval(beat, every);
      }, Math.random() * every);
    } else if (frame.type === 'pong') stats.pongs += 1;
    else if (frame.type === 'command') {
      stats.commands += 1;
      const p = frame.payload;
      ws.send(JSON.stringify(buildFrame('command_response', { request_id: p.request_id, ok: true, data: { hostname: `sim-${i}` } }, randomUUID(), frame.id)));
    } else if (frame.type === 'command_response' && frame.payload.ok === false) stats.errors += 1;
  });
  ws.on('close', () => {
    stats.closed += 1;
    if (!sim.acked) stats.connecting -= 1;
    if (sim.timer) clearInterval(sim.timer);
  });
  ws.on('error', () => undefined);
}

/** Opens `tokens` at `perSecond`. */
async function ramp(tokens: string[], offset: number, perSecond: number) {
  const batch = Math.max(1, Math.round(perSecond / 20));
  for (let i = 0; i < tokens.length; i += batch) {
    tokens.slice(i, i + batch).forEach((t, j) => connect(t, offset + i + j));
    await new Promise((r) => setTimeout(r, 50));
  }
}

process.on('message', (msg: { kind: 'ramp'; tokens: string[]; offset: number; perSecond: number } | { kind: 'stats' } | { kind: 'stop' }) => {
  if (msg.kind === 'ramp') void ramp(msg.tokens, msg.offset, msg.perSecond).then(() => process.send!({ kind: 'ramped' }));
  else if (msg.kind === 'stats') process.send!({ kind: 'stats', stats: { ...stats, rss_mb: Math.round(process.memoryUsage().rss / 1e6) } });
  else {
    for (const s of sims) s.ws.terminate();
    process.exit(0);
  }
});
process.send!({ kind: 'ready' });
