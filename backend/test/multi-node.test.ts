import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { buildFrame } from '@syntra/shared';
import { createDb, type Knex } from '../src/db/knex.js';
import { type Account, apiClient, registerAccount } from './support/api-client.js';
import { type AgentProcess, closeOf, collect, rawAgentSocket, spawnAgent, waitFor } from './support/agent-env.js';
import { type ApiProcess, startApiProcess } from './support/api-process.js';
import { createTestDatabase } from './support/test-env.js';

let database: { url: string; drop(): Promise<void> };
let db: Knex;
let nodeA: ApiProcess;
let nodeB: ApiProcess;
let owner: Account;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { min: 0, max: 2 });
  [nodeA, nodeB] = await Promise.all([startApiProcess(database.url), startApiProcess(database.url)]);
  owner = await registerAccount(apiClient(nodeA.url), 'multi');
}, 90_000);
afterAll(async () => {
  for (const a of agents) await a.stop('SIGKILL');
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  await db?.destroy();
  await database?.drop();
});

async function newServer(name: string) {
  const res = await apiClient(nodeA.url).post('/api/v1/servers', { name }, { token: owner.token, orgId: owner.orgId });
  return res.body.data as { server: { id: string }; agent_token: string };
}
const statusOf = async (id: string) => (await db('servers').where({ id }).first())!.status as string;

function hello() {
  return buildFrame(
    'agent_hello',
    {
      agent_id: randomUUID(), version: '0.1.0', protocol: 1, runtime: 'process', runtime_version: null, os: { name: 'debian', version: '12' }, arch: 'x64',
      network: { hostname: 'raw', public_ip: null, private_ip: null }, resources: { cpu_cores: 1, memory_total_mb: 1, disk_total_gb: 1 }, capabilities: [], last_acked_telemetry_seq: 0,
    },
    randomUUID(),
  );
}

describe('two api nodes sharing PostgreSQL and Redis', () => {
  it('delivers a command sent to node B to the agent connected to node A, and streams its status on B', async () => {
    const { server, agent_token } = await newServer('on-a');
    const stream = new WebSocket(`${nodeB.url.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${owner.token}` } });
    const events = collect(stream);
    await new Promise((r) => stream.once('open', r));
    stream.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId, events: ['server.status'] }));
    await waitFor('subscribed', () => events.find((e) => e.type === 'subscribed'));

    const agent = await spawnAgent(nodeA.url, agent_token);
    agents.push(agent);
    await waitFor('online', async () => (await statusOf(server.id)) === 'online');
    await waitFor('status event on node B', () => events.find((e) => e.type === 'server.status' && e.data.server_id === server.id && e.data.status === 'online'));
    expect(events.some((e) => e.type === 'server.metrics')).toBe(false); // filtered out by the subscription

    const res = await apiClient(nodeB.url).post(`/api/v1/servers/${server.id}/commands`, { name: 'host.info' }, { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'answered', ok: true, delivery_count: 1 });
    expect(res.body.data.data.agent_pid).toBe(agent.child.pid);
    stream.close();
    await agent.stop();
  });

  it('a newer connection on node B replaces the one on node A (4008)', async () => {
    const { agent_token } = await newServer('moving');
    const onA = rawAgentSocket(nodeA.url, agent_token);
    const aMessages = collect(onA);
    await new Promise((r) => onA.once('open', r));
    onA.send(JSON.stringify(hello()));
    await waitFor('ack on A', () => aMessages.find((m) => m.type === 'hello_ack'));
    const closedA = closeOf(onA);
    const onB = rawAgentSocket(nodeB.url, agent_token);
    const bMessages = collect(onB);
    await new Promise((r) => onB.once('open', r));
    onB.send(JSON.stringify(hello()));
    await waitFor('ack on B', () => bMessages.find((m) => m.type === 'hello_ack'));
    expect((await closedA).code).toBe(4008);
    onB.close(1000);
  });

  // How long an agent may take to come back after its node restarts, by design: the restart itself
  // (seconds on a loaded machine) plus one reconnect delay, whose ceiling doubles with every refused
  // attempt meanwhile (PROTOCOL.md: 1 s base, full jitter: up to 16–32 s after 5–6 refusals).
  const RECONNECT_MS = 45_000;

  it('after a restart of the node its agents use, they reconnect, no row is duplicated and a command queued meanwhile runs once', async () => {
    const servers = await Promise.all([newServer('r1'), newServer('r2')]);
    const procs = await Promise.all(servers.map((s) => spawnAgent(nodeA.url, s.agent_token)));
    agents.push(...procs);
    for (const s of servers) await waitFor('online', async () => (await statusOf(s.server.id)) === 'online');
    const serverRowsBefore = await db('servers').where({ org_id: owner.orgId }).count<{ count: number }[]>('* as count');

    await nodeA.stop();
    // Node A is down: the command is queued through node B.
    const queued = await apiClient(nodeB.url).post(`/api/v1/servers/${servers[0]!.server.id}/commands`, { name: 'host.info', wait_ms: 0 }, { token: owner.token });
    expect(queued.body.data.status).toBe('pending');

    nodeA = await startApiProcess(database.url, { port: nodeA.port });
    const answered = await waitFor('command answered after reconnect', async () => {
      const row = await db('agent_commands').where({ id: queued.body.data.id }).first();
      return row?.status === 'answered' && row;
    }, RECONNECT_MS);
    expect(answered).toMatchObject({ ok: true, delivery_count: 1 });
    for (const s of servers) await waitFor('online again', async () => (await statusOf(s.server.id)) === 'online', RECONNECT_MS);
    expect(await db('servers').where({ org_id: owner.orgId }).count<{ count: number }[]>('* as count')).toEqual(serverRowsBefore);

    // Another restart: the answered command is not sent again.
    await nodeA.stop();
    nodeA = await startApiProcess(database.url, { port: nodeA.port });
    for (const s of servers) {
      await waitFor('reconnected', async () => {
        const events = await db('server_status_events').where({ server_id: s.server.id }).orderBy('id', 'desc').first();
        return (await statusOf(s.server.id)) === 'online' && events;
      }, RECONNECT_MS);
    }
    const res = await apiClient(nodeA.url).post(`/api/v1/servers/${servers[0]!.server.id}/commands`, { name: 'host.info' }, { token: owner.token });
    // The agents may still be reconnecting (their status row can read online from before the restart):
    // the new command is answered once they are back, whichever way round it happens.
    if (res.body.data.status !== 'answered') {
      await waitFor('the new command answered', async () => (await db('agent_commands').where({ id: res.body.data.id }).first())?.status === 'answered', RECONNECT_MS);
    }
    const again = await db('agent_commands').where({ id: queued.body.data.id }).first();
    expect(again).toMatchObject({ status: 'answered', delivery_count: 1 });
    expect(again!.answered_at).toEqual(answered.answered_at);
  }, 3 * RECONNECT_MS);
});
