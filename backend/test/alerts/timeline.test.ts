import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chTime } from '../../src/modules/telemetry/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { asReceived, captureEvents } from '../errors/support/sentry-capture.js';
import { until } from './stand-ins.js';

let env: TestEnv;
let api: ApiClient;
let owner: Account;
let other: Account;

async function target() {
  const [server] = await env.db('servers').insert({ org_id: owner.orgId, name: `srv-${Math.random().toString(36).slice(2, 7)}`, agent_token_hash: crypto.randomUUID().replace(/-/g, '').padEnd(64, '0'), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P${Math.random().toString(36).slice(2, 7)}`, git_repo_url: 'https://github.com/acme/shop.git' }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'cart', server_id: server!.id }, { token: owner.token });
  return { orgId: owner.orgId, serverId: server!.id as string, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

/**
 * Errors from the real @sentry/node SDK, handed to the error module as the intake's workers do.
 * The client's fingerprint groups them as one issue wherever they are reported from (the stack,
 * the default grouping, includes the calling test line).
 */
async function reportErrors(t: Awaited<ReturnType<typeof target>>, n: number, message: string) {
  const payloads = await captureEvents((s) => {
    for (let i = 0; i < n; i++) s.captureException(new Error(message), { fingerprint: [message] });
  });
  await env.deps.services.errorIngest.process(payloads.map((p) => asReceived(p, t)));
}

const get = async (path: string, who = owner) => api.get(path, { token: who.token, orgId: who.orgId });
type Series = { key: string; unit: string; step_seconds: number; points: Array<[number, number]> };
const seriesOf = (body: { series: Series[] }, key: string) => body.series.find((s) => s.key === key)!;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'timeline-owner');
  other = await registerAccount(api, 'timeline-other');
});

afterAll(async () => {
  await env?.close();
});

describe('the incident timeline', () => {
  it('a service\'s timeline shows its new and regressed issues, with error events per minute and p95 latency on the same axis', async () => {
    const t = await target();
    await reportErrors(t, 3, 'cart total is NaN');
    const span = (i: number, ms: number) => ({
      OrgId: owner.orgId, ServiceId: t.serviceId, Timestamp: chTime(Date.now() - i * 100), TraceId: crypto.randomUUID().replace(/-/g, ''), SpanId: `${i}`.padStart(16, '0'), SpanName: 'POST /cart', SpanKind: 'Server', Duration: ms * 1_000_000,
    });
    await env.deps.services.telemetryWriter.write('otel_traces', Array.from({ length: 20 }, (_, i) => span(i + 1, 900)));

    const body = await until(async () => {
      const b = (await get(`/api/v1/services/${t.serviceId}/timeline`)).body.data;
      return seriesOf(b, 'error_events').points.length > 0 && seriesOf(b, 'latency_p95_ms').points.length > 0 ? b : null;
    }, 'the series');
    const issue = body.entries.find((e: { kind: string }) => e.kind === 'issue');
    expect(issue).toMatchObject({ title: 'New issue: Error: cart total is NaN', severity: 'critical', ref: { type: 'issue' }, detail: { change: 'new' } });
    const errors = seriesOf(body, 'error_events');
    expect(errors).toMatchObject({ unit: '/min', step_seconds: 60 });
    expect(errors.points.reduce((n, [, v]) => n + v, 0)).toBe(3);
    expect(seriesOf(body, 'latency_p95_ms').points.map(([, v]) => v)).toContain(900);

    // Resolved, then back: the regression joins the axis.
    expect((await api.patch(`/api/v1/issues/${issue.ref.id}`, { status: 'resolved' }, { token: owner.token })).status).toBe(200);
    await reportErrors(t, 1, 'cart total is NaN');
    const after = await until(async () => {
      const b = (await get(`/api/v1/services/${t.serviceId}/timeline`)).body.data;
      return b.entries.some((e: { title: string }) => e.title.startsWith('Regressed')) ? b : null;
    }, 'the regression');
    expect(after.entries).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'issue', title: 'Regressed: Error: cart total is NaN', ref: { type: 'issue', id: issue.ref.id } })]));
    expect(seriesOf(after, 'error_events').points.reduce((n: number, [, v]: [number, number]) => n + v, 0)).toBe(4);

    // A window that ends before all this holds none of it.
    const earlier = (await get(`/api/v1/services/${t.serviceId}/timeline?from=${new Date(Date.now() - 7_200_000).toISOString()}&to=${new Date(Date.now() - 3_600_000).toISOString()}`)).body.data;
    expect(earlier.entries.filter((e: { kind: string }) => e.kind === 'issue')).toEqual([]);
    expect(earlier.series.every((s: Series) => s.points.length === 0)).toBe(true);
  });

  it('a server\'s timeline carries its CPU and memory from the host metrics in ClickHouse', async () => {
    const t = await target();
    const at = new Date(Date.now() - 5 * 60_000);
    await env.deps.services.serverMetrics.insert([{ orgId: owner.orgId, serverId: t.serverId, at, cpuPercent: 73, memoryUsedMb: 1234, diskUsedGb: 9, load: [0.5, 0.4, 0.3] }]);
    const body = await until(async () => {
      const b = (await get(`/api/v1/servers/${t.serverId}/timeline`)).body.data;
      return seriesOf(b, 'cpu_percent').points.length > 0 ? b : null;
    }, 'the host series');
    expect(seriesOf(body, 'cpu_percent')).toMatchObject({ unit: '%', points: [[Math.floor(at.getTime() / 60_000) * 60_000, 73]] });
    expect(seriesOf(body, 'memory_used_mb').points[0]![1]).toBe(1234);
  });

  it('a backwards window is a 400 naming the field; another organisation\'s service is a 404', async () => {
    const t = await target();
    const now = Date.now();
    const bad = await get(`/api/v1/services/${t.serviceId}/timeline?from=${new Date(now).toISOString()}&to=${new Date(now - 60_000).toISOString()}`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    expect((await get(`/api/v1/services/${t.serviceId}/timeline`, other)).status).toBe(404);
  });
});
