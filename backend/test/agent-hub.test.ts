import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { buildFrame, MAX_FRAME_BYTES, type PayloadOf } from '@syntra/shared';
import { type Account, type ApiClient, apiClient, registerAccount } from './support/api-client.js';
import { closeOf, collect, rawAgentSocket, type RealtimeEnv, startRealtimeEnv, waitFor } from './support/agent-env.js';
import { hostSamples } from './support/clickhouse.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
/** How many of the next `log` telemetry items' stores fail (one test stands a crash half-way through a batch with it). */
let logSinkFailures = 0;
/** Deploy frames as the hub handed them on: a slow log store stands in for PostgreSQL under load. */
const deployFrames: string[] = [];

beforeAll(async () => {
  env = await startRealtimeEnv({}, {
    services: {
      hubPorts: {
        frames: {
          log_stream: async (_session, f) => {
            await new Promise((r) => setTimeout(r, 150));
            deployFrames.push(`log: ${f.payload.lines.at(-1)?.line}`);
          },
          deploy_status: async (_session, f) => {
            deployFrames.push(`status: ${f.payload.status}`);
          },
        },
        telemetry: {
          log: async () => {
            if (logSinkFailures > 0) {
              logSinkFailures -= 1;
              throw new Error('store unavailable');
            }
          },
        },
      },
    },
  });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'hub');
});
afterAll(() => env.close());

function hello(overrides: Partial<PayloadOf<'agent_hello'>> = {}): PayloadOf<'agent_hello'> {
  return {
    agent_id: randomUUID(),
    version: '0.1.0',
    protocol: 1,
    runtime: 'process',
    runtime_version: 'node 20',
    os: { name: 'debian', version: '12' },
    arch: 'x64',
    network: { hostname: 'test-host', public_ip: null, private_ip: '10.0.0.5' },
    resources: { cpu_cores: 2, memory_total_mb: 4096, disk_total_gb: 40 },
    capabilities: [],
    last_acked_telemetry_seq: 0,
    ...overrides,
  };
}

const frame = <T extends Parameters<typeof buildFrame>[0]>(type: T, payload: PayloadOf<T>) => JSON.stringify(buildFrame(type, payload, randomUUID()));

async function newServer(name = 'raw') {
  const res = await api.post('/api/v1/servers', { name }, { token: owner.token, orgId: owner.orgId });
  return res.body.data as { server: { id: string }; agent_token: string };
}

/** A raw socket that has said hello and received hello_ack. */
async function connected(token: string) {
  const ws = rawAgentSocket(env.url, token);
  const messages = collect(ws);
  await new Promise((r) => ws.once('open', r));
  ws.send(frame('agent_hello', hello()));
  await waitFor('hello_ack', () => messages.find((m) => m.type === 'hello_ack'));
  return { ws, messages };
}

const serverRow = async (id: string) => (await env.db('servers').where({ id }).first())!;

describe('agent socket: authentication and the first frame', () => {
  it('closes with 4001 for a missing or unknown token', async () => {
    expect((await closeOf(rawAgentSocket(env.url))).code).toBe(4001);
    expect((await closeOf(rawAgentSocket(env.url, 'syn_agent_not-a-real-token'))).code).toBe(4001);
  });

  it('closes with 4002 when the first frame is not agent_hello', async () => {
    const { agent_token } = await newServer();
    const ws = rawAgentSocket(env.url, agent_token);
    await new Promise((r) => ws.once('open', r));
    ws.send(frame('heartbeat', { resources: { cpu_percent: 1, memory_used_mb: 1, disk_used_gb: 1, load_avg: [0, 0, 0] }, services: [] }));
    expect((await closeOf(ws)).code).toBe(4002);
  });

  it('closes with 4003 for an invalid hello and 4004 for another protocol version', async () => {
    const { agent_token } = await newServer();
    const bad = rawAgentSocket(env.url, agent_token);
    await new Promise((r) => bad.once('open', r));
    bad.send(JSON.stringify({ ...buildFrame('agent_hello', hello(), randomUUID()), payload: { agent_id: 'x' } }));
    expect((await closeOf(bad)).code).toBe(4003);
    const future = rawAgentSocket(env.url, agent_token);
    await new Promise((r) => future.once('open', r));
    future.send(frame('agent_hello', hello({ protocol: 2 })));
    expect((await closeOf(future)).code).toBe(4004);
  });

  it('accepts a valid hello: hello_ack with config, the server online with the facts it reported', async () => {
    const { server, agent_token } = await newServer('facts');
    const { ws, messages } = await connected(agent_token);
    const ack = messages.find((m) => m.type === 'hello_ack');
    expect(ack.payload).toMatchObject({ server_id: server.id, accepted: true, org_id: owner.orgId, config: { heartbeat_interval_seconds: 0.5 }, pending_deployments: [], pending_commands: [] });
    const row = await serverRow(server.id);
    expect(row).toMatchObject({ status: 'online', hostname: 'test-host', private_ip: '10.0.0.5', cpu_cores: 2, memory_mb: 4096, os_name: 'debian' });
    ws.close(1000);
  });
});

describe('agent socket: frames after the hello', () => {
  it('answers malformed frames and unknown types with an error and keeps the socket open', async () => {
    const { server, agent_token } = await newServer();
    const { ws, messages } = await connected(agent_token);
    ws.send('{not json');
    const unknownId = randomUUID();
    ws.send(JSON.stringify({ ...buildFrame('heartbeat', { resources: { cpu_percent: 1, memory_used_mb: 1, disk_used_gb: 1, load_avg: [0, 0, 0] }, services: [] }, unknownId), type: 'teleport' }));
    const badId = randomUUID();
    ws.send(JSON.stringify({ ...buildFrame('heartbeat', { resources: { cpu_percent: 1, memory_used_mb: 1, disk_used_gb: 1, load_avg: [0, 0, 0] }, services: [] }, badId), payload: { resources: { cpu_percent: 'lots' } } }));
    const errors = await waitFor('three error replies', () => {
      const e = messages.filter((m) => m.type === 'command_response' && m.payload.ok === false);
      return e.length >= 3 && e;
    });
    expect(errors.map((e) => e.payload.error.code)).toEqual(['malformed_frame', 'unknown_type', 'invalid_payload']);
    expect(errors[1].reply_to).toBe(unknownId);
    expect(errors[2].reply_to).toBe(badId);
    // Still alive: a heartbeat gets its pong.
    ws.send(frame('heartbeat', { resources: { cpu_percent: 12, memory_used_mb: 100, disk_used_gb: 3, load_avg: [0.1, 0.2, 0.3] }, services: [] }));
    await waitFor('pong', () => messages.find((m) => m.type === 'pong'));
    expect(ws.readyState).toBe(ws.OPEN);
    await waitFor('metrics stored', async () => (await hostSamples(env.clickhouse, server.id)).length > 0);
    ws.close(1000);
  });

  it('closes the socket for a frame over 4 MiB', async () => {
    const { agent_token } = await newServer();
    const { ws } = await connected(agent_token);
    const closed = closeOf(ws);
    ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    expect((await closed).code).toBe(1009);
  });

  it('replaces an older connection of the same server with 4008', async () => {
    const { agent_token } = await newServer();
    const first = await connected(agent_token);
    const firstClosed = closeOf(first.ws);
    const second = await connected(agent_token);
    expect((await firstClosed).code).toBe(4008);
    expect(second.ws.readyState).toBe(second.ws.OPEN);
    second.ws.close(1000);
  });

  it('closes with 4009 when the token is rotated or the server deleted, and the old token stops working', async () => {
    const { server, agent_token } = await newServer();
    const { ws } = await connected(agent_token);
    const closed = closeOf(ws);
    await api.post(`/api/v1/servers/${server.id}/rotate-token`, undefined, { token: owner.token });
    expect((await closed).code).toBe(4009);
    expect((await closeOf(rawAgentSocket(env.url, agent_token))).code).toBe(4001);

    const other = await newServer();
    const conn = await connected(other.agent_token);
    const gone = closeOf(conn.ws);
    await api.delete(`/api/v1/servers/${other.server.id}`, { token: owner.token });
    expect((await gone).code).toBe(4009);
  });

  it('hands a deployment\'s last log lines on before the status that follows them, however slow their store', async () => {
    const { agent_token } = await newServer('ordered');
    const { ws } = await connected(agent_token);
    const deployment_id = randomUUID();
    const ts = new Date().toISOString();
    ws.send(frame('log_stream', { service_id: randomUUID(), deployment_id, lines: [{ ts, stream: 'system', line: 'traffic switched to the new version' }] }));
    ws.send(frame('deploy_status', { request_id: randomUUID(), deployment_id, status: 'running', message: null, duration_ms: 10 }));
    await waitFor('both frames handled', () => deployFrames.length >= 2);
    expect(deployFrames).toEqual(['log: traffic switched to the new version', 'status: running']);
    ws.close(1000);
  });

  it('stores telemetry batches, acks them, and acks a resent batch without storing it twice', async () => {
    const { server, agent_token } = await newServer();
    const { ws, messages } = await connected(agent_token);
    const ts = '2026-11-24T12:00:00.000Z';
    const batch = { seq: 1, items: [{ kind: 'metric' as const, ts, name: 'host.cpu_percent', value: 42 }, { kind: 'metric' as const, ts, name: 'host.memory_used_mb', value: 512 }] };
    ws.send(frame('telemetry_batch', batch));
    ws.send(frame('telemetry_batch', batch));
    await waitFor('two acks', () => messages.filter((m) => m.type === 'telemetry_ack').length >= 2);
    expect(messages.filter((m) => m.type === 'telemetry_ack').map((m) => m.payload.seq)).toEqual([1, 1]);
    const rows = await hostSamples(env.clickhouse, server.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ts: '2026-11-24 12:00:00.000000000', copies: 1, cpu_percent: 42, memory_used_mb: 512 });
    expect((await serverRow(server.id)).telemetry_acked_seq).toBe(1);
    ws.close(1000);
  });

  it('stores a batch whole or not at all: one that fails half-way is stored once when the agent sends it again', async () => {
    const { server, agent_token } = await newServer('atomic');
    const project = await api.post('/api/v1/projects', { name: 'Atomic' }, { token: owner.token, orgId: owner.orgId });
    const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: server.id }, { token: owner.token });
    // Health checks are stored first, then log items: a log sink that fails once stands for a crash in between.
    logSinkFailures = 1;
    const { ws, messages } = await connected(agent_token);
    const ts = '2026-11-24T12:30:00.000Z';
    const batch = {
      seq: 1,
      items: [
        { kind: 'metric' as const, ts, name: 'host.cpu_percent', value: 7 },
        { kind: 'health_check' as const, ts, service_id: service.body.data.id, healthy: true, status_code: 200, response_ms: 3 },
        { kind: 'log' as const, ts, service_id: service.body.data.id, stream: 'stdout' as const, line: 'hello' },
      ],
    };
    ws.send(frame('telemetry_batch', batch));
    await waitFor('the failure answered', () => messages.find((m) => m.type === 'command_response' && m.payload.ok === false));
    expect(messages.filter((m) => m.type === 'telemetry_ack')).toEqual([]);
    expect(await env.db('health_checks').where({ service_id: service.body.data.id })).toHaveLength(0);
    // ClickHouse has no transaction with PostgreSQL: the host sample may already be there, stored
    // under the batch's id, so the resend below must not store it a second time.
    ws.send(frame('telemetry_batch', batch));
    await waitFor('the ack', () => messages.find((m) => m.type === 'telemetry_ack'));
    expect(await env.db('health_checks').where({ service_id: service.body.data.id })).toHaveLength(1);
    expect(await hostSamples(env.clickhouse, server.id)).toEqual([expect.objectContaining({ copies: 1, cpu_percent: 7 })]);
    ws.close(1000);
  });

  it('a graceful close (1000) marks the server offline and records both changes', async () => {
    const { server, agent_token } = await newServer();
    const { ws } = await connected(agent_token);
    ws.close(1000, 'agent shutdown');
    await waitFor('offline', async () => (await serverRow(server.id)).status === 'offline');
    const history = await env.db('server_status_events').where({ server_id: server.id }).orderBy('id');
    expect(history.map((h) => [h.previous_status, h.status, h.reason])).toEqual([
      ['offline', 'online', 'agent_connected'],
      ['online', 'offline', 'agent_shutdown'],
    ]);
  });

  it('a heartbeat still waiting in the hub when the agent shuts down does not bring the server back online', async () => {
    const { server, agent_token } = await newServer();
    const { ws } = await connected(agent_token);
    const before = (await serverRow(server.id)).last_heartbeat_at as Date | null;
    ws.send(frame('heartbeat', { resources: { cpu_percent: 1, memory_used_mb: 1, disk_used_gb: 1, load_avg: [0, 0, 0] }, services: [] }));
    ws.close(1000, 'agent shutdown');
    await waitFor('offline', async () => (await serverRow(server.id)).status === 'offline');
    // The batch the heartbeat waited in is written (its time lands), and the server stays offline.
    await waitFor('the heartbeat flushed', async () => {
      const at = (await serverRow(server.id)).last_heartbeat_at as Date | null;
      return at !== null && (before === null || at > before);
    });
    expect((await serverRow(server.id)).status).toBe('offline');
    const reasons = (await env.db('server_status_events').where({ server_id: server.id }).orderBy('id')).map((h) => h.reason);
    expect(reasons).toEqual(['agent_connected', 'agent_shutdown']);
  });

  it('a silent agent goes offline after 3 missed intervals and back online when it speaks again', async () => {
    const { server, agent_token } = await newServer();
    const { ws, messages } = await connected(agent_token);
    await waitFor('offline', async () => (await serverRow(server.id)).status === 'offline');
    ws.send(frame('heartbeat', { resources: { cpu_percent: 1, memory_used_mb: 1, disk_used_gb: 1, load_avg: [0, 0, 0] }, services: [] }));
    await waitFor('online again', async () => (await serverRow(server.id)).status === 'online');
    const reasons = (await env.db('server_status_events').where({ server_id: server.id }).orderBy('id')).map((h) => h.reason);
    expect(reasons).toEqual(['agent_connected', 'heartbeats_missed', 'heartbeat']);
    expect(messages.some((m) => m.type === 'pong')).toBe(true);
    ws.close(1000);
  });
});

describe('commands over the socket', () => {
  it('delivers a command, returns the answer to the REST caller, and passes agent errors through', async () => {
    const { server, agent_token } = await newServer('cmd');
    const { ws, messages } = await connected(agent_token);
    const answer = (ws_: WebSocket) =>
      ws_.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.type !== 'command') return;
        const known = m.payload.name === 'host.info';
        ws_.send(frame('command_response', known ? { request_id: m.payload.request_id, ok: true, data: { hostname: 'test-host' } } : { request_id: m.payload.request_id, ok: false, error: { code: 'unknown_command', message: 'nope' } }));
      });
    answer(ws);
    const ok = await api.post(`/api/v1/servers/${server.id}/commands`, { name: 'host.info' }, { token: owner.token });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ status: 'answered', ok: true, data: { hostname: 'test-host' }, delivery_count: 1 });
    const bad = await api.post(`/api/v1/servers/${server.id}/commands`, { name: 'host.self_destruct' }, { token: owner.token });
    expect(bad.body.data).toMatchObject({ status: 'answered', ok: false, error: { code: 'unknown_command' } });
    expect(messages.filter((m) => m.type === 'command')).toHaveLength(2);
    ws.close(1000);
  });

  it('redelivers an unanswered command in hello_ack, and not again once answered', async () => {
    const { server, agent_token } = await newServer('redeliver');
    const queued = await api.post(`/api/v1/servers/${server.id}/commands`, { name: 'host.info', wait_ms: 0 }, { token: owner.token });
    expect(queued.body.data.status).toBe('pending');
    const first = await connected(agent_token);
    const ack1 = first.messages.find((m) => m.type === 'hello_ack');
    expect(ack1.payload.pending_commands).toEqual([{ type: 'command', payload: { request_id: queued.body.data.id, name: 'host.info', args: {} } }]);
    first.ws.close(4000);
    await closeOf(first.ws);
    // Never answered: it comes again, once per connection.
    const second = await connected(agent_token);
    const ack2 = second.messages.find((m) => m.type === 'hello_ack');
    expect(ack2.payload.pending_commands).toHaveLength(1);
    second.ws.send(frame('command_response', { request_id: queued.body.data.id, ok: true, data: { done: true } }));
    await waitFor('answered', async () => (await api.get(`/api/v1/servers/${server.id}/commands/${queued.body.data.id}`, { token: owner.token })).body.data.status === 'answered');
    second.ws.close(1000);
    await closeOf(second.ws);
    const third = await connected(agent_token);
    expect(third.messages.find((m) => m.type === 'hello_ack').payload.pending_commands).toEqual([]);
    third.ws.close(1000);
    const row = await env.db('agent_commands').where({ id: queued.body.data.id }).first();
    expect(row).toMatchObject({ status: 'answered', delivery_count: 2, ok: true });
  });
});
