import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chTime } from '../../src/modules/telemetry/index.js';
import type { Account, ApiClient } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { type AlertRig, startAlertRig } from './alert-rig.js';

let rig: AlertRig<TestEnv>;
let env: TestEnv;
let api: ApiClient;
let owner: Account;

async function target() {
  const [server] = await env.db('servers').insert({ org_id: owner.orgId, name: `srv-${Math.random().toString(36).slice(2, 7)}`, agent_token_hash: crypto.randomUUID().replace(/-/g, '').padEnd(64, '0'), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P${Math.random().toString(36).slice(2, 7)}`, git_repo_url: 'https://github.com/acme/shop.git' }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'api', server_id: server!.id }, { token: owner.token });
  return { serverId: server!.id as string, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

const rule = (body: Record<string, unknown>) => rig.rule(body);
const events = (ruleId: string) => rig.events(ruleId);
const evaluate = () => rig.evaluate();
const write = (...args: Parameters<TestEnv['deps']['services']['telemetryWriter']['write']>) => env.deps.services.telemetryWriter.write(...args);
beforeAll(async () => {
  rig = await startAlertRig(await startTestEnv(), 'telemetry-owner');
  ({ env, api, owner } = rig);
});
afterAll(() => rig?.close());

describe('alert kinds over telemetry stored in ClickHouse (issue 13), through the store\'s writer', () => {
  it('log_match counts the lines matching its query in the window', async () => {
    const t = await target();
    const ruleId = await rule({ name: 'Payment failures', kind: 'log_match', condition: { query: 'payment failed', window_seconds: 300, op: '>', threshold: 2 }, scope: { service_id: t.serviceId } });
    const line = (n: number) => ({ OrgId: owner.orgId, ServiceId: t.serviceId, Timestamp: chTime(Date.now() - n * 1000), Body: `payment failed for order ${n}` });
    await write('otel_logs', [line(1), line(2), { OrgId: owner.orgId, ServiceId: t.serviceId, Timestamp: chTime(Date.now()), Body: 'all good' }]);
    await evaluate();
    expect(await events(ruleId)).toHaveLength(0);
    await write('otel_logs', [line(3)]);
    await evaluate();
    const [e] = await events(ruleId);
    expect(e).toMatchObject({ status: 'firing', values: { count: 3 } });
  });

  it('the editor\'s preview replays a rule over the last 24 h of stored data before it is saved', async () => {
    const t = await target();
    const hoursAgo = (h: number, n: number) => Array.from({ length: n }, (_, i) => ({ OrgId: owner.orgId, ServiceId: t.serviceId, Timestamp: chTime(Date.now() - h * 3_600_000 - i * 1000), Body: `upstream timeout ${h}-${i}` }));
    await write('otel_logs', [...hoursAgo(20, 6), ...hoursAgo(8, 6), ...hoursAgo(3, 1)]);
    const body = { name: 'Timeouts', kind: 'log_match', condition: { query: 'upstream timeout', window_seconds: 600, op: '>', threshold: 4 }, scope: { service_id: t.serviceId }, cooldown_seconds: 0 };
    const res = await api.post('/api/v1/alert-rules/preview', body, { token: owner.token, orgId: owner.orgId });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ supported: true, step_seconds: 600, firings: 2 });
    expect(res.body.data.evaluations).toBe(144);
    expect((await api.get('/api/v1/alert-rules', { token: owner.token, orgId: owner.orgId })).body.data.items.some((r: { name: string }) => r.name === 'Timeouts')).toBe(false);
    const eventKind = await api.post('/api/v1/alert-rules/preview', { name: 'x', kind: 'deploy_failed', condition: {} }, { token: owner.token, orgId: owner.orgId });
    expect(eventKind.body.data).toMatchObject({ supported: false });
  });

  it('metric_threshold on a service\'s p95 latency from its spans, and on an OTLP gauge', async () => {
    const t = await target();
    const latency = await rule({ name: 'Slow API', kind: 'metric_threshold', condition: { metric: 'service.latency_p95_ms', window_seconds: 300, op: '>', threshold: 500 }, scope: { service_id: t.serviceId }, severity: 'critical' });
    const queue = await rule({ name: 'Queue backlog', kind: 'metric_threshold', condition: { metric: 'otlp', otlp_metric: 'queue.depth', aggregate: 'max', window_seconds: 300, op: '>=', threshold: 100 }, scope: { service_id: t.serviceId } });
    const span = (i: number, ms: number) => ({
      OrgId: owner.orgId, ServiceId: t.serviceId, Timestamp: chTime(Date.now() - i * 1000), TraceId: crypto.randomUUID().replace(/-/g, ''), SpanId: `${i}`.padStart(16, '0'), SpanName: 'GET /pay', SpanKind: 'Server', Duration: ms * 1_000_000,
    });
    await write('otel_traces', Array.from({ length: 20 }, (_, i) => span(i + 1, 900)));
    await write('otel_metrics_gauge', [{ OrgId: owner.orgId, ServiceId: t.serviceId, MetricName: 'queue.depth', TimeUnix: chTime(Date.now() - 5000), Value: 140 }]);
    await evaluate();
    const [slow] = await events(latency);
    expect(slow).toMatchObject({ status: 'firing', severity: 'critical', service_id: t.serviceId });
    expect(slow.values.value).toBeGreaterThan(500);
    const [backlog] = await events(queue);
    expect(backlog).toMatchObject({ status: 'firing', values: { value: 140 } });
  });
});
