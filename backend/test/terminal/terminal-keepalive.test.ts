import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, waitFor } from '../support/agent-env.js';
import { createLogger } from '../../src/logger.js';
import { type AgentLink, CONSOLE_PING_MS, TerminalRelay } from '../../src/modules/terminal/index.js';
import { startIdleProxy } from './idle-proxy.js';
import { TerminalClient } from './terminal-client.js';

/**
 * "No drop after 60 s idle": a console behind a proxy that cuts connections idle for longer than its
 * timeout (nginx's default: 60 s) stays connected because the relay pings it more often than that.
 * Time runs 60× faster here: the proxy cuts after 1 s, the relay pings at its real interval / 60,
 * and the session idles 3.5 s (3.5 min in real time).
 */
const SCALE = 1 / 60;
const PROXY_IDLE_MS = 60_000 * SCALE;
const IDLE_MS = 3500;

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let serverId: string;
let agent: AgentProcess;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'keepalive');
  const created = await api.post('/api/v1/servers', { name: 'idle-box' }, { token: owner.token, orgId: owner.orgId });
  serverId = created.body.data.server.id;
  agent = await spawnAgent(env.url, created.body.data.agent_token);
  await waitFor('agent online', async () => (await api.get(`/api/v1/servers/${serverId}`, { token: owner.token })).body.data.status === 'online');
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await agent?.stop('SIGKILL');
  await env?.close();
});

/** An api node serving only terminal sockets, with its own ping interval; it reaches the agent through Redis. */
async function relayNode(pingMs: number) {
  const noLocalAgents: AgentLink = { sendFrame: () => false, sendBinary: () => false };
  const relay = new TerminalRelay(env.deps.services.terminals, noLocalAgents, env.redis, () => Promise.resolve(null), env.config.dataDir, createLogger('silent'), { pingMs });
  await relay.start();
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await relay.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

async function idleSessionBehindProxy(pingMs: number) {
  const proxy = await startIdleProxy(await relayNode(pingMs), PROXY_IDLE_MS);
  cleanups.push(() => proxy.close());
  const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: 80, rows: 24, target: { kind: 'host' } }, { token: owner.token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const t = await TerminalClient.connect(proxy.url, res.body.data.session_id, res.body.data.ticket);
  cleanups.push(() => t.ws.terminate());
  await t.until(() => t.messages.some((m) => m.type === 'opened'), 15_000, 'opened');
  await t.run('true', 'before-idle');
  await new Promise((r) => setTimeout(r, IDLE_MS));
  return { t, proxy };
}

describe('an idle terminal behind a proxy that cuts idle connections', () => {
  it('stays connected, and usable, well past the proxy’s idle timeout while the relay pings it', async () => {
    const { t, proxy } = await idleSessionBehindProxy(CONSOLE_PING_MS * SCALE);
    expect(t.closed).toBeNull();
    expect(proxy.dropped).toBe(0);
    await t.run('echo still-here', 'after-idle');
  }, 40_000);

  it('is cut by that proxy when the relay pings less often than its timeout (the proxy works)', async () => {
    const { t, proxy } = await idleSessionBehindProxy(IDLE_MS * 10);
    await t.until(() => t.closed !== null, 5_000, 'the proxy to cut the socket');
    expect(proxy.dropped).toBe(1);
  }, 40_000);
});
