/**
 * Traces from the real `@sentry/node`, end to end: an app (its own process, default options and
 * a DSN) → the Sentry intake → its queue → the telemetry module → otel_traces → the trace API; and
 * the error it captured inside the trace → an issue whose event carries the same trace id. Once
 * with the SDK's default lifecycle (span v2 items), once with `traceLifecycle: 'static'`
 * (`transaction` items). No stand-in anywhere.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, type Account, type ApiClient } from '../support/api-client.js';
import { serviceWithDsn, waitFor } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

const APP = fileURLToPath(new URL('./support/traced-app.ts', import.meta.url));

let env: TestEnv;
let api: ApiClient;
let owner: Account;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'sdk-traces');
  env.deps.services.intake.startConsumer({ pollMs: 50 });
});
afterAll(() => env.close());

/** Runs the app against `dsn`; what it printed. */
function runApp(dsn: string, lifecycle: 'stream' | 'static'): Promise<{ trace_id: string; event_id: string; flushed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', APP], { env: { ...process.env, SENTRY_DSN: dsn, TRACE_LIFECYCLE: lifecycle }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`the traced app exited ${code}: ${err || out}`));
      else resolve(JSON.parse(line) as { trace_id: string; event_id: string; flushed: boolean });
    });
  });
}

describe.each(['stream', 'static'] as const)('@sentry/node traces (traceLifecycle %s) → DSN → trace and issue', (lifecycle) => {
  it('the trace comes back with both spans nested, and the error event carries its trace id', async () => {
    const target = await serviceWithDsn(env, api, owner, `shop-${lifecycle}`);
    const app = await runApp(target.dsn, lifecycle);
    expect(app.flushed).toBe(true);
    expect(app.trace_id).toMatch(/^[0-9a-f]{32}$/);

    const trace = await waitFor('the trace with both spans', async () => {
      const res = await api.get(`/api/v1/traces/${app.trace_id}`, { token: owner.token, orgId: owner.orgId });
      return res.status === 200 && res.body.data.spans.length >= 2 ? (res.body.data as { spans: Array<Record<string, any>> }) : null;
    });
    expect(trace.spans).toHaveLength(2);
    const root = trace.spans.find((s) => s.name === 'POST /orders')!;
    const child = trace.spans.find((s) => s.name === 'charge card')!;
    expect(root).toMatchObject({ parent_span_id: '', kind: 'Server', service_id: target.serviceId, service_name: `shop-${lifecycle}` });
    expect(root.status.code).not.toBe('Error');
    expect(root.attributes).toMatchObject({ 'http.route': '/orders', 'sentry.op': 'http.server' });
    expect(root.resource_attributes).toMatchObject({ 'service.version': 'shop@3.1.0', 'deployment.environment.name': 'production' });
    expect(child).toMatchObject({ parent_span_id: root.span_id, trace_id: app.trace_id, service_id: target.serviceId, status: { code: 'Error' } });
    expect(child.attributes['sentry.op']).toBe('payment.charge');
    expect(child.duration).toBeGreaterThanOrEqual(9);
    expect(root.duration).toBeGreaterThanOrEqual(child.duration);

    const issue = await waitFor('the issue of the captured error', async () => {
      const res = await api.get(`/api/v1/projects/${target.projectId}/issues`, { token: owner.token });
      return (res.body.data.items as Array<Record<string, any>>).find((i) => String(i.title).includes('payment gateway timed out'));
    });
    const latest = await api.get(`/api/v1/issues/${issue.id}/events/latest`, { token: owner.token });
    expect(latest.status).toBe(200);
    expect(latest.body.data).toMatchObject({ event_id: app.event_id, trace_id: app.trace_id });

    // Redelivery or not, each span is stored once.
    const again = await api.get(`/api/v1/traces/${app.trace_id}`, { token: owner.token, orgId: owner.orgId });
    expect(again.body.data.spans).toHaveLength(2);
  });
});
