import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_AGENT_CONFIG, buildFrame, type PayloadOf } from '@syntra/shared';
import { Agent } from '../src/core/agent.js';
import { Backoff } from '../src/core/backoff.js';
import { HandlerRegistry } from '../src/core/handlers.js';
import { createAgentLogger } from '../src/log.js';
import { ProcessRuntime } from '../src/runtime/process-runtime.js';
import { TelemetryBuffer } from '../src/telemetry/buffer.js';
import { waitFor } from '../../test-support/wait.js';

const SERVER_ID = randomUUID();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tmp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A stand-in control plane: records every frame and lets the test answer. */
async function fakeControlPlane(ack: (n: number) => Partial<PayloadOf<'hello_ack'>> = () => ({})) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const received: any[] = [];
  let connections = 0;
  let current: WebSocket | null = null;
  wss.on('connection', (ws, req) => {
    connections += 1;
    current = ws;
    const n = connections;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      received.push({ ...frame, connection: n, auth: req.headers.authorization });
      if (frame.type === 'agent_hello') {
        const payload: PayloadOf<'hello_ack'> = {
          server_id: SERVER_ID, accepted: true, server_name: 'fake', org_id: randomUUID(),
          config: { ...DEFAULT_AGENT_CONFIG, heartbeat_interval_seconds: 0.2, telemetry_batch_interval_seconds: 0.2 },
          pending_deployments: [], pending_commands: [], pending_builds: [], telemetry_acked_seq: 0, ...ack(n),
        };
        ws.send(JSON.stringify(buildFrame('hello_ack', payload, randomUUID())));
      }
    });
  });
  cleanups.push(() => new Promise<void>((r) => { for (const c of wss.clients) c.terminate(); wss.close(() => r()); }));
  const { port } = wss.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, socket: () => current!, connections: () => connections };
}

function startAgent(url: string, handlers = new HandlerRegistry(), dataDir = tmp()) {
  const agent = new Agent({ url, token: 'syn_agent_test-token', dataDir, runtime: new ProcessRuntime(), log: createAgentLogger('error'), handlers });
  agent.start();
  cleanups.push(() => agent.stop());
  return agent;
}

describe('agent core against a stand-in control plane', () => {
  it('says hello with its token and real facts, then heartbeats at the interval from hello_ack', async () => {
    const cp = await fakeControlPlane();
    startAgent(cp.url);
    const hello = await waitFor('hello', () => cp.received.find((f) => f.type === 'agent_hello'));
    expect(hello.auth).toBe('Bearer syn_agent_test-token');
    expect(hello.payload).toMatchObject({ protocol: 1, runtime: 'process', arch: os.arch(), network: { hostname: os.hostname() } });
    expect(hello.payload.resources.cpu_cores).toBe(os.cpus().length);
    await waitFor('3 heartbeats', () => cp.received.filter((f) => f.type === 'heartbeat').length >= 3);
    const hb = cp.received.find((f) => f.type === 'heartbeat');
    expect(hb.payload.resources.memory_used_mb).toBeGreaterThan(0);
    expect(hb.payload.resources.cpu_percent).toBeGreaterThanOrEqual(0);
  });

  it('rejects command names it does not know and frames it cannot read, and stays connected', async () => {
    const cp = await fakeControlPlane();
    startAgent(cp.url, new HandlerRegistry().onCommand('host.info', async () => ({ hi: true })));
    await waitFor('hello', () => cp.received.find((f) => f.type === 'agent_hello'));
    await new Promise((r) => setTimeout(r, 50));
    const unknown = randomUUID();
    cp.socket().send(JSON.stringify(buildFrame('command', { request_id: unknown, name: 'host.format_disk', args: {} }, randomUUID())));
    cp.socket().send('{"oops"');
    cp.socket().send(JSON.stringify({ ...buildFrame('pong', {}, randomUUID()), type: 'warp_drive' }));
    const known = randomUUID();
    cp.socket().send(JSON.stringify(buildFrame('command', { request_id: known, name: 'host.info', args: {} }, randomUUID())));
    const responses = await waitFor('4 responses', () => {
      const r = cp.received.filter((f) => f.type === 'command_response');
      return r.length >= 4 && r;
    });
    expect(responses.find((r) => r.payload.request_id === unknown).payload.error.code).toBe('unknown_command');
    expect(responses.find((r) => r.payload.request_id === known).payload).toEqual({ request_id: known, ok: true, data: { hi: true } });
    expect(responses.map((r) => r.payload.error?.code).filter(Boolean).sort()).toEqual(['malformed_frame', 'unknown_command', 'unknown_type']);
    expect(cp.connections()).toBe(1);
  });

  it('runs a command redelivered after a reconnect only once, resending the recorded answer', async () => {
    const requestId = randomUUID();
    const pending = [{ type: 'command' as const, payload: { request_id: requestId, name: 'test.count', args: {} } }];
    const cp = await fakeControlPlane(() => ({ pending_commands: pending }));
    let runs = 0;
    startAgent(cp.url, new HandlerRegistry().onCommand('test.count', async () => ({ runs: (runs += 1) })));
    await waitFor('first answer', () => cp.received.find((f) => f.type === 'command_response' && f.connection === 1));
    cp.socket().close(4000, 'network blip');
    const second = await waitFor('answer on the second connection', () => cp.received.find((f) => f.type === 'command_response' && f.connection === 2));
    expect(runs).toBe(1);
    expect(second.payload).toEqual({ request_id: requestId, ok: true, data: { runs: 1 } });
  });

  it('keeps samples on disk when it never reaches the control plane (no hello_ack yet)', async () => {
    const dataDir = tmp();
    // A port nobody listens on: every dial fails.
    const closed = new WebSocketServer({ port: 0 });
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const fast = { ...DEFAULT_AGENT_CONFIG, heartbeat_interval_seconds: 0.1, telemetry_batch_interval_seconds: 0.2 };
    const agent = new Agent({ url: `http://127.0.0.1:${port}`, token: 'syn_agent_test-token', dataDir, runtime: new ProcessRuntime(), log: createAgentLogger('error'), initialConfig: fast });
    agent.start();
    cleanups.push(() => agent.stop());
    const dir = path.join(dataDir, 'telemetry');
    const deadline = Date.now() + 10_000;
    while (!(fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.json'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const batches = new TelemetryBuffer(dir, 10 * 1024 * 1024, createAgentLogger('error'));
    const items = batches.seqs().flatMap((seq) => batches.read(seq)?.items ?? []);
    expect(items.some((i) => i.kind === 'metric' && i.name === 'host.cpu_percent')).toBe(true);
  });

  it('resends unacknowledged telemetry batches after reconnecting and forgets them once acked', async () => {
    const cp = await fakeControlPlane();
    const dataDir = tmp();
    const agent = startAgent(cp.url, new HandlerRegistry(), dataDir);
    await waitFor('hello', () => cp.received.find((f) => f.type === 'agent_hello'));
    agent.record([{ kind: 'log', ts: new Date().toISOString(), service_id: 's1', stream: 'stdout', line: 'hello' }]);
    const batch = await waitFor('batch', () => cp.received.find((f) => f.type === 'telemetry_batch'));
    expect(batch.payload.items[0].line).toBe('hello');
    cp.socket().close(4000);
    const resent = await waitFor('resent batch', () => cp.received.find((f) => f.type === 'telemetry_batch' && f.connection === 2));
    expect(resent.payload.seq).toBe(batch.payload.seq);
    cp.socket().send(JSON.stringify(buildFrame('telemetry_ack', { seq: batch.payload.seq }, randomUUID())));
    // (Host samples taken while disconnected form later batches of their own.)
    await waitFor('batch dropped once acked', () => !fs.readdirSync(path.join(dataDir, 'telemetry')).includes(`${String(batch.payload.seq).padStart(12, '0')}.json`));
  });
});

describe('telemetry buffer', () => {
  it('drops the oldest batches first when over its bound and counts them', () => {
    const buffer = new TelemetryBuffer(tmp(), 3000, createAgentLogger('error'));
    const item = { kind: 'log' as const, ts: new Date().toISOString(), service_id: 's', stream: 'stdout' as const, line: 'x'.repeat(900) };
    for (let i = 0; i < 6; i += 1) buffer.append([item]);
    expect(buffer.droppedBatches).toBeGreaterThan(0);
    expect(buffer.bytes()).toBeLessThanOrEqual(3000);
    const seqs = buffer.seqs();
    expect(seqs.at(-1)).toBe(6);
    expect(seqs[0]).toBe(6 - seqs.length + 1);
  });
});

describe('backoff', () => {
  it('grows exponentially from 1 s to a 60 s cap with full jitter', () => {
    const max = new Backoff(1000, 60_000, () => 0.999999);
    expect(Array.from({ length: 9 }, () => max.next())).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
    const min = new Backoff(1000, 60_000, () => 0);
    expect(min.next()).toBe(0);
    max.reset();
    expect(max.next()).toBe(999);
  });
});

describe('telemetry sequence after a reinstall', () => {
  it('renumbers pending batches above what the control plane already acknowledged', () => {
    const buffer = new TelemetryBuffer(tmp(), 1e6, createAgentLogger('error'));
    const item = { kind: 'log' as const, ts: new Date().toISOString(), service_id: 's', stream: 'stdout' as const, line: 'x' };
    buffer.append([item]);
    buffer.append([item]);
    buffer.sync(500);
    expect(buffer.seqs()).toEqual([501, 502]);
    expect(buffer.append([item])).toBe(503);
    buffer.sync(502);
    expect(buffer.seqs()).toEqual([503]);
  });
});
