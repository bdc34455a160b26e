/**
 * The OTLP router and the Sentry transaction processor as services.ts wires them: a real service
 * (PostgreSQL) names the ServiceName column, rows go through the env's writer into its ClickHouse.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../src/db/clickhouse/index.js';
import type { ResolvedClientKey } from '../../src/modules/ingest/ports.js';
import { otlpRouter } from '../../src/modules/telemetry/index.js';
import { apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
let intake: Server;
let intakeUrl: string;
let key: ResolvedClientKey;

beforeAll(async () => {
  env = await startTestEnv();
  const api = apiClient(env.url);
  const owner = await registerAccount(api, 'otlp');
  const server = await api.post('/api/v1/servers', { name: 'web-1' }, { token: owner.token, orgId: owner.orgId });
  const project = await api.post('/api/v1/projects', { name: 'Shop' }, { token: owner.token, orgId: owner.orgId });
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'checkout', server_id: server.body.data.server.id }, { token: owner.token });
  expect(service.status, JSON.stringify(service.body)).toBe(201);
  key = { keyId: 'k', publicKey: 'pk_wiring_test_key_000000', orgId: owner.orgId, projectId: project.body.data.id, serviceId: service.body.data.id, projectRef: 1, revoked: false };
  // The intake app mounts the router with the client keys' resolver (the intake part's); a one-key stand-in here.
  const app = new Koa();
  const { telemetryWriter, serviceNames, telemetryRetention } = env.deps.services;
  app.use(otlpRouter({ keys: { resolve: async (k) => (k === key.publicKey ? key : null) }, writer: telemetryWriter, serviceName: serviceNames, retentionDays: (orgId) => telemetryRetention.days(orgId), logger: env.deps.logger }).routes());
  intake = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  intakeUrl = `http://127.0.0.1:${(intake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => intake.close(resolve));
  await env.close();
});

describe('OTLP intake wired to the services', () => {
  it("writes the key's service name and ids, whatever service.name says", async () => {
    const res = await fetch(`${intakeUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.publicKey}` },
      body: JSON.stringify({
        resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'something-else' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: `${Date.now()}000000`, severityText: 'WARN', severityNumber: 13, body: { stringValue: 'disk almost full' } }] }] }],
      }),
    });
    expect(res.status).toBe(200);
    const rows = await selectRows<Record<string, any>>(env.clickhouse, 'SELECT * FROM otel_logs WHERE OrgId = {org:UUID}', { org: key.orgId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ServiceName: 'checkout', ServiceId: key.serviceId, ProjectId: key.projectId, Body: 'disk almost full', ResourceAttributes: { 'service.name': 'something-else' }, RetentionDays: env.config.telemetry.retentionDays });
  });

  it('stores a Sentry transaction handed to the wired processor as spans of that service', async () => {
    const now = Date.now() / 1000;
    await env.deps.services.transactions.process([
      {
        orgId: key.orgId,
        projectId: key.projectId,
        serviceId: key.serviceId,
        keyId: key.keyId,
        eventId: 'a'.repeat(32),
        receivedAt: new Date().toISOString(),
        payload: {
          type: 'transaction',
          transaction: 'POST /pay',
          start_timestamp: now - 0.2,
          timestamp: now,
          contexts: { trace: { trace_id: 'b'.repeat(32), span_id: 'c'.repeat(16), op: 'http.server', status: 'internal_error' } },
          spans: [{ span_id: 'd'.repeat(16), parent_span_id: 'c'.repeat(16), op: 'http.client', description: 'POST https://psp.example/charge', start_timestamp: now - 0.15, timestamp: now - 0.05, status: 'ok' }],
        },
      },
    ]);
    const spans = await selectRows<Record<string, any>>(env.clickhouse, 'SELECT SpanName, ParentSpanId, StatusCode, ServiceName, Duration FROM otel_traces WHERE OrgId = {org:UUID} ORDER BY Timestamp', { org: key.orgId });
    expect(spans.map((s) => [s.SpanName, s.ParentSpanId, s.StatusCode, s.ServiceName])).toEqual([
      ['POST /pay', '', 'Error', 'checkout'],
      ['POST https://psp.example/charge', 'c'.repeat(16), 'Ok', 'checkout'],
    ]);
    expect(Math.round(Number(spans[1]!.Duration) / 1e6)).toBe(100);
  });
});
