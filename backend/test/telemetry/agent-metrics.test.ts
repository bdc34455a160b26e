import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../src/db/clickhouse/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { agentFrame, rawAgentWithService, type RealtimeEnv, startRealtimeEnv, waitFor } from '../support/agent-env.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'agent-metrics');
});
afterAll(() => env.close());

const frame = agentFrame;
const agentWithService = () => rawAgentWithService(env, api, owner, { server: 'metered', service: 'api' });

interface GaugeRow {
  MetricName: string;
  Value: number;
  ServiceName: string;
  ProjectId: string;
  ServerId: string;
  DeploymentId: string;
}
const gauges = (where: string, params: Record<string, unknown>) =>
  selectRows<GaugeRow>(env.clickhouse, `SELECT MetricName, Value, ServiceName, ProjectId, ServerId, DeploymentId FROM otel_metrics_gauge WHERE OrgId = {org:UUID} AND ${where} ORDER BY MetricName`, { org: owner.orgId, ...params });

describe("agents' host and service metrics in ClickHouse", () => {
  it('a heartbeat stores host CPU, memory, network and disk, and each service\'s usage under that service', async () => {
    const { ws, serverId, serviceId, projectId } = await agentWithService();
    const deploymentId = randomUUID();
    ws.send(frame('heartbeat', {
      resources: { cpu_percent: 31, memory_used_mb: 900, disk_used_gb: 12, load_avg: [0.5, 0.4, 0.3], net_rx_bps: 1000, net_tx_bps: 2000, disk_read_bps: 30, disk_write_bps: 40 },
      services: [
        { service_id: serviceId, deployment_id: deploymentId, state: 'running', restarts: 0, cpu_percent: 12.5, memory_mb: 64, disk_read_bps: 5, disk_write_bps: 6 },
        // Not this server's service: an agent speaks only for its own.
        { service_id: randomUUID(), deployment_id: null, state: 'running', restarts: 0, cpu_percent: 99, memory_mb: 99 },
      ],
    }));
    const service = await waitFor('service gauges', async () => {
      const rows = await gauges('ServiceId = {service:UUID}', { service: serviceId });
      return rows.length >= 4 && rows;
    });
    expect(service.map((r) => [r.MetricName, r.Value])).toEqual([
      ['service.cpu_percent', 12.5],
      ['service.disk_read_bps', 5],
      ['service.disk_write_bps', 6],
      ['service.memory_mb', 64],
    ]);
    expect(service[0]).toMatchObject({ ServiceName: 'api', ProjectId: projectId, ServerId: serverId, DeploymentId: deploymentId });
    const host = await gauges("ServerId = {server:UUID} AND startsWith(MetricName, 'host.')", { server: serverId });
    expect(Object.fromEntries(host.map((r) => [r.MetricName, r.Value]))).toMatchObject({ 'host.cpu_percent': 31, 'host.memory_used_mb': 900, 'host.net_rx_bps': 1000, 'host.net_tx_bps': 2000, 'host.disk_read_bps': 30, 'host.disk_write_bps': 40 });
    expect(await gauges('Value = 99', {})).toEqual([]);
    ws.close(1000);
  });

  it('samples buffered while offline arrive in a telemetry batch and are stored once when it is resent', async () => {
    const { ws, messages, serviceId } = await agentWithService();
    const ts = new Date().toISOString();
    const batch = {
      seq: 1,
      items: [
        { kind: 'metric' as const, ts, name: 'host.cpu_percent', value: 3 },
        { kind: 'metric' as const, ts, name: 'service.cpu_percent', value: 7, service_id: serviceId },
        { kind: 'metric' as const, ts, name: 'service.memory_mb', value: 70, service_id: serviceId },
      ],
    };
    ws.send(frame('telemetry_batch', batch));
    await waitFor('ack', () => messages.find((m) => m.type === 'telemetry_ack'));
    // As if PostgreSQL's side of the batch had not committed after ClickHouse took its rows: the
    // agent resends it and only ClickHouse's deduplication (the batch id) stands between it and a double.
    await env.db('servers').where({ id: (await env.db('services').where({ id: serviceId }).first())!.server_id }).update({ telemetry_acked_seq: 0 });
    ws.send(frame('telemetry_batch', batch));
    await waitFor('second ack', () => messages.filter((m) => m.type === 'telemetry_ack').length >= 2);
    const rows = await gauges('ServiceId = {service:UUID}', { service: serviceId });
    expect(rows.map((r) => [r.MetricName, r.Value])).toEqual([
      ['service.cpu_percent', 7],
      ['service.memory_mb', 70],
    ]);
    ws.close(1000);
  });
});

describe("telemetry retention from the organisation's setting", () => {
  it('rows carry the org\'s retention, and ClickHouse keeps nothing older than it', async () => {
    const patched = await api.patch(`/api/v1/orgs/${owner.orgId}`, { settings: { telemetry_retention_days: 3 } }, { token: owner.token });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.data.settings).toMatchObject({ telemetry_retention_days: 3 });
    expect((await api.patch(`/api/v1/orgs/${owner.orgId}`, { settings: { telemetry_retention_days: 0 } }, { token: owner.token })).status).toBe(400);
    const { ws, messages, serviceId } = await agentWithService();
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    ws.send(frame('telemetry_batch', {
      seq: 1,
      items: [
        { kind: 'log', ts: daysAgo(2), service_id: serviceId, stream: 'stdout', line: 'two days old' },
        { kind: 'log', ts: daysAgo(5), service_id: serviceId, stream: 'stdout', line: 'five days old' },
      ],
    }));
    await waitFor('ack', () => messages.find((m) => m.type === 'telemetry_ack'));
    // The TTL deletes expired rows when parts merge (whenever ClickHouse chooses): force that merge.
    await env.clickhouse.client.command({ query: 'OPTIMIZE TABLE otel_logs FINAL' });
    const rows = await selectRows<{ Body: string; RetentionDays: number }>(env.clickhouse, 'SELECT Body, RetentionDays FROM otel_logs WHERE ServiceId = {service:UUID}', { service: serviceId });
    expect(rows).toEqual([{ Body: 'two days old', RetentionDays: 3 }]);
    ws.close(1000);
  });
});
