import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from '@syntra/shared';
import { createApp } from '../src/app.js';
import { defineRoute, routeId } from '../src/http/route.js';
import { createLogger } from '../src/logger.js';
import { API_ROUTES } from '../src/routes.js';
import { apiClient, registerAccount, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

let env: TestEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
});
afterAll(() => env.close());

describe('probes', () => {
  it('/healthz says the process is up', async () => {
    const res = await api.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('/readyz checks PostgreSQL, Redis and ClickHouse', async () => {
    const res = await api.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ postgres: 'ok', redis: 'ok', clickhouse: 'ok' });
  });

  it('/readyz is 503 naming the store that is down', async () => {
    const { Redis } = await import('ioredis');
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const app = createApp({ ...env.deps, redis: dead });
    const server = http.createServer(app.callback()).listen(0);
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { checks: unknown }).checks).toEqual({ postgres: 'ok', redis: 'unreachable', clickhouse: 'ok' });
    } finally {
      server.close();
      dead.disconnect();
    }
  });

  it('/metrics exposes request counters and latency histograms by route template', async () => {
    const account = await registerAccount(api, 'metrics');
    await api.get(`/api/v1/orgs/${account.orgId}`, { token: account.token });
    const res = await fetch(`${env.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/syntra_http_requests_total\{method="GET",route="\/api\/v1\/orgs\/:orgId",status="200"\} \d+/);
    expect(text).toContain('syntra_http_request_duration_seconds_bucket');
    expect(text).toContain('syntra_process_resident_memory_bytes');
    // The event loop's delay, sampled every 100 ms rather than prom-client's 10 ms, still reports.
    expect(text).toMatch(/syntra_nodejs_eventloop_lag_p99_seconds \d/);
    expect(text).not.toContain(account.orgId); // ids never become label values
    // What the telemetry store wrote, refused and dropped is counted where operators look.
    expect(text).toMatch(/syntra_telemetry_rows\{table="otel_logs",outcome="dropped"\} 0/);
    expect(text).toMatch(/syntra_telemetry_lagging 0/);
  });
});

describe('error envelope', () => {
  it('unknown routes are 404 in the envelope with a request id', async () => {
    const res = await api.get('/api/v1/definitely-not-here', { headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: expect.any(String), request_id: 'trace-abc-12345' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-12345');
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await api.post('/api/v1/auth/login', { email: 'a@b.co', password: 'x'.repeat(2_000_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a bug becomes a 500 that shows no internals, and is logged with its stack for the operator', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(chunk.toString()), cb()) });
    const boom = defineRoute(contract({ method: 'get', path: '/api/v1/boom', response: z.object({}) }), {
      summary: 'throws',
      tag: 'test',
      access: { kind: 'public' },
      handler: async () => {
        throw new Error('relation "secret_table" does not exist at SELECT password FROM users');
      },
    });
    const app = createApp({ ...env.deps, logger: createLogger('error', sink) }, [boom]);
    const server = http.createServer(app.callback()).listen(0);
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/boom`);
      const body = (await res.json()) as { error: { code: string } };
      expect(res.status).toBe(500);
      expect(body.error.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(body)).not.toMatch(/secret_table|SELECT|password/);
      expect(lines.join('')).toContain('secret_table');
    } finally {
      server.close();
    }
  });
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every route of the table with its schemas', async () => {
    const res = await api.get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    for (const route of API_ROUTES) {
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
      expect(op, routeId(route)).toBeDefined();
      if (route.body) expect(op.requestBody.content['application/json'].schema.type, routeId(route)).toBe('object');
    }
    const register = doc.paths['/api/v1/auth/register'].post.requestBody.content['application/json'].schema;
    expect(register.required).toEqual(expect.arrayContaining(['email', 'password', 'name']));
    expect(register.properties.password.minLength).toBe(10);
    const member = doc.paths['/api/v1/orgs/{orgId}/members/{userId}'].patch;
    expect(member.parameters.map((p: { name: string }) => p.name)).toEqual(['orgId', 'userId']);
    expect(member.description).toContain('owner, admin');
  });
});

describe('logging', () => {
  it('redacts bearer tokens and passwords', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(chunk.toString()), cb()) });
    const logger = createLogger('info', sink);
    logger.info({ req: { headers: { authorization: 'Bearer syn_s_supersecret' } }, body: { password: 'hunter22hunter' }, token: 'syn_pat_abc' }, 'x');
    const out = lines.join('');
    expect(out).not.toContain('supersecret');
    expect(out).not.toContain('hunter22');
    expect(out).not.toContain('syn_pat_abc');
    expect(out).toContain('[redacted]');
  });
});
