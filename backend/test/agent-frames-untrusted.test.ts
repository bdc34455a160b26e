import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type ApiClient, apiClient, registerAccount } from './support/api-client.js';
import { agentFrame, rawAgentWithService, type RealtimeEnv, startRealtimeEnv, waitFor } from './support/agent-env.js';

/**
 * An agent is the tenant's software on the tenant's machine: its frames are input like any request.
 * What PostgreSQL cannot store (NUL, non-uuid ids, year 0) must neither fail a frame forever nor
 * reach the database; a frame nested absurdly deep is refused without ending the socket.
 */
let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'untrusted-agent');
});
afterAll(() => env.close());

const frame = agentFrame;
const agentWithService = () => rawAgentWithService(env, api, owner, { server: 'untrusted', service: 'web' });

describe('frames from an agent', () => {
  it('a telemetry batch with NUL in a health error, a non-uuid service id and a year-0 time is acked; what can be stored is', async () => {
    const { ws, messages, serviceId } = await agentWithService();
    const ts = new Date().toISOString();
    ws.send(frame('telemetry_batch', {
      seq: 1,
      items: [
        { kind: 'health_check', ts, service_id: serviceId, healthy: false, status_code: 500, response_ms: 3, error: 'boom\u0000here' },
        { kind: 'health_check', ts, service_id: 'not-a-uuid', healthy: true },
        { kind: 'health_check', ts: '0000-01-01T00:00:00Z', service_id: serviceId, healthy: true },
        { kind: 'health_check', ts, service_id: serviceId, healthy: true, status_code: 2 ** 40 },
        { kind: 'metric', ts: '0000-01-01T00:00:00Z', name: 'host.cpu_percent', value: 5 },
      ],
    }));
    await waitFor('telemetry_ack', () => messages.find((m) => m.type === 'telemetry_ack'));
    const health = await api.get(`/api/v1/services/${serviceId}/health`, { token: owner.token });
    expect(health.body.data.items).toHaveLength(1);
    expect(health.body.data.items[0]).toMatchObject({ healthy: false, status_code: 500, error: 'boom\ufffdhere' });
    ws.close(1000);
  });

  it('log lines with NUL are stored with U+FFFD; log items naming a non-uuid or foreign service are dropped, not an error', async () => {
    const { ws, messages, serviceId } = await agentWithService();
    const other = await agentWithService();
    const ts = new Date().toISOString();
    ws.send(frame('log_stream', { service_id: 'nope', deployment_id: null, lines: [{ ts, stream: 'stdout', line: 'x' }] }));
    ws.send(frame('telemetry_batch', {
      seq: 1,
      items: [
        { kind: 'log', ts, service_id: 'nope', stream: 'stdout', line: 'x' },
        { kind: 'log', ts, service_id: other.serviceId, stream: 'stdout', line: 'not this server\'s service' },
        { kind: 'log', ts, service_id: serviceId, stream: 'stdout', line: 'bin\u0000ary' },
        { kind: 'log', ts: '0000-01-01T00:00:00Z', service_id: serviceId, stream: 'stdout', line: 'year 0' },
      ],
    }));
    ws.send(frame('deploy_status', { request_id: randomUUID(), deployment_id: 'not-a-uuid', status: 'running', message: null, duration_ms: 1 }));
    await waitFor('telemetry_ack', () => messages.find((m) => m.type === 'telemetry_ack'));
    const logs = await waitFor('stored line', async () => {
      const res = await api.get(`/api/v1/services/${serviceId}/logs?tail=10`, { token: owner.token });
      return res.body.data?.length ? res.body.data : null;
    });
    expect(logs.map((l: { line: string }) => l.line)).toEqual(['bin\ufffdary']);
    expect(messages.filter((m) => m.type === 'command_response' && m.payload.ok === false)).toEqual([]);
    expect(messages.filter((m) => m.type === 'telemetry_ack').map((m) => m.payload.seq)).toEqual([1]);
    const foreign = await api.get(`/api/v1/services/${other.serviceId}/logs?tail=10`, { token: owner.token });
    expect(foreign.body.data).toEqual([]);
    ws.close(1000);
    other.ws.close(1000);
  });

  it('a command answer carrying NUL is stored and shown with U+FFFD', async () => {
    const { ws, serverId } = await agentWithService();
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'command') ws.send(frame('command_response', { request_id: m.payload.request_id, ok: true, data: { out: 'a\u0000b', ['k\u0000']: [1] } }));
    });
    const res = await api.post(`/api/v1/servers/${serverId}/commands`, { name: 'host.info' }, { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'answered', ok: true, data: { out: 'a\ufffdb', 'k\ufffd': [1] } });
    ws.close(1000);
  });

  it('a frame nested 10k levels deep is refused as malformed; the socket stays up', async () => {
    const { ws, messages } = await agentWithService();
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    ws.send(`{"v":1,"id":"${randomUUID()}","type":"command_response","ts":"${new Date().toISOString()}","payload":{"request_id":"${randomUUID()}","ok":true,"data":${deep}}}`);
    const error = await waitFor('error reply', () => messages.find((m) => m.type === 'command_response' && m.payload.ok === false));
    expect(error.payload.error).toMatchObject({ code: 'malformed_frame', message: expect.stringMatching(/deeper/) });
    ws.send(frame('heartbeat', { resources: { cpu_percent: 1, memory_used_mb: 1, disk_used_gb: 1, load_avg: [0, 0, 0] }, services: [] }));
    await waitFor('pong', () => messages.find((m) => m.type === 'pong'));
    ws.close(1000);
  });
});
