import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chTime } from '../../src/modules/telemetry/index.js';
import { TelemetryQueryService } from '../../src/modules/telemetry/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { deploymentAt, logRow, spanRow, type Target, telemetryService } from '../support/telemetry-seed.js';

// The query API of issue 13 against rows written through the store's own writer (no OTLP here):
// what a user searching logs, opening a trace or charting a metric sees.

let env: TestEnv;
let api: ApiClient;
let owner: Account;
let other: Account;
let svc: Target & { serverId: string };
let otherSvc: Target;
const now = Date.now();
const t0 = now - 30 * 60_000;
const TRACE = 'a'.repeat(31) + '1';
const FOREIGN_TRACE = 'b'.repeat(31) + '2';
const range = `from=${t0 - 60_000}&to=${now}`;

const get = (path: string, acc: Account = owner) => api.get(path, { token: acc.token, orgId: acc.orgId });
const write = (...args: Parameters<TestEnv['deps']['services']['telemetryWriter']['write']>) => env.deps.services.telemetryWriter.write(...args);

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'tel-owner');
  other = await registerAccount(api, 'tel-other');
  svc = await telemetryService(env, api, owner, 'web');
  otherSvc = await telemetryService(env, api, other, 'web');

  await write('otel_logs', [
    logRow(svc, t0 + 1000, 'GET /health ok'),
    logRow(svc, t0 + 2000, 'checkout started for cart 42', { LogAttributes: { 'http.route': '/pay', user: 'ann' }, TraceId: TRACE, SpanId: '1'.repeat(16) }),
    logRow(svc, t0 + 3000, 'Checkout FAILED: card declined', { SeverityText: 'ERROR', SeverityNumber: 17, LogAttributes: { 'http.route': '/pay' }, TraceId: TRACE, SpanId: '2'.repeat(16) }),
    logRow(svc, t0 + 4000, 'slow query took 900ms', { SeverityText: 'WARN', SeverityNumber: 13 }),
    // agents' plain-text lines: no number, a level word
    logRow(svc, t0 + 5000, 'worker crashed', { SeverityText: 'error', SeverityNumber: 0, DeploymentId: '' }),
  ]);
  // The other organisation's lines contain the same words and the same route.
  await write('otel_logs', [logRow(otherSvc, t0 + 2500, 'checkout started elsewhere', { LogAttributes: { 'http.route': '/pay' }, TraceId: FOREIGN_TRACE })]);

  await write('otel_traces', [
    spanRow(svc, t0 + 2000, { traceId: TRACE, spanId: '1'.repeat(16), name: 'POST /pay', durationMs: 120 }),
    spanRow(svc, t0 + 2010, { traceId: TRACE, spanId: '2'.repeat(16), parent: '1'.repeat(16), name: 'charge card', durationMs: 80, error: true }),
    spanRow(svc, t0 + 2020, { traceId: TRACE, spanId: '3'.repeat(16), parent: '2'.repeat(16), name: 'SELECT cards', durationMs: 10, kind: 'Client' }),
    spanRow(svc, t0 + 9000, { traceId: 'c'.repeat(32), spanId: '4'.repeat(16), name: 'GET /health', durationMs: 2 }),
  ]);
  await write('otel_traces', [spanRow(otherSvc, t0 + 2000, { traceId: FOREIGN_TRACE, spanId: '5'.repeat(16), name: 'POST /pay', durationMs: 50 })]);
});
afterAll(() => env?.close());

describe('logs', () => {
  it('searches words in any case, newest first, within the org and range only', async () => {
    const res = await get(`/api/v1/logs?${range}&q=checkout`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.items.map((l: { body: string }) => l.body)).toEqual(['Checkout FAILED: card declined', 'checkout started for cart 42']);
    const line = res.body.data.items[1];
    expect(line).toMatchObject({ severity: 'info', service_id: svc.serviceId, trace_id: TRACE, span_id: '1'.repeat(16), attributes: { 'http.route': '/pay', user: 'ann' }, deployment_id: null });
    expect(Date.parse(line.timestamp)).toBe(t0 + 2000);
  });

  it('matches plain words whole (any case) and phrases or punctuated terms as written', async () => {
    const bodies = async (q: string) => (await get(`/api/v1/logs?${range}&q=${encodeURIComponent(q)}`)).body.data.items.map((l: { body: string }) => l.body);
    // a word is a whole word: "check" is not "checkout", "CHECKOUT" is
    expect(await bodies('check')).toEqual([]);
    expect(await bodies('CHECKOUT')).toEqual(['Checkout FAILED: card declined', 'checkout started for cart 42']);
    // phrases and terms with punctuation are found as written, in any case
    expect(await bodies('"card declined"')).toEqual(['Checkout FAILED: card declined']);
    expect(await bodies('failed: card')).toEqual(['Checkout FAILED: card declined']);
    expect(await bodies('/health ok')).toEqual(['GET /health ok']);
    expect(await bodies('900ms')).toEqual(['slow query took 900ms']);
  });

  it('filters by severity (number or level word), attribute and trace id', async () => {
    const errors = await get(`/api/v1/logs?${range}&severity=error`);
    expect(errors.body.data.items.map((l: { body: string }) => l.body)).toEqual(['worker crashed', 'Checkout FAILED: card declined']);
    const warnOrError = await get(`/api/v1/logs?${range}&severity=warn,error&q=slow`);
    expect(warnOrError.body.data.items.map((l: { body: string }) => l.body)).toEqual(['slow query took 900ms']);
    const byAttr = await get(`/api/v1/logs?${range}&attr.user=ann`);
    expect(byAttr.body.data.items.map((l: { body: string }) => l.body)).toEqual(['checkout started for cart 42']);
    // service.name matches the ServiceName column too (agents' lines carry no resource attributes)
    const byServiceName = await get(`/api/v1/logs?${range}&attr.service.name=web&q=slow`);
    expect(byServiceName.body.data.items.map((l: { body: string }) => l.body)).toEqual(['slow query took 900ms']);
    const byTrace = await get(`/api/v1/logs?${range}&trace_id=${TRACE.toUpperCase()}`);
    expect(byTrace.body.data.items).toHaveLength(2);
  });

  it('pages with keyset cursors: no line twice, none skipped', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/logs?${range}&service_id=${svc.serviceId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.items.map((l: { body: string }) => l.body));
      cursor = res.body.data.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen[0]).toBe('worker crashed');
  });

  it('counts lines per severity for the facets and shows the lines around one', async () => {
    const facets = await get(`/api/v1/logs/facets?${range}&service_id=${svc.serviceId}&severity=error`);
    expect(facets.body.data).toMatchObject({ total: 5, severity: { info: 2, warn: 1, error: 2, fatal: 0 } });
    const [line] = (await get(`/api/v1/logs?${range}&q=slow`)).body.data.items;
    const ctx = await get(`/api/v1/logs/context?id=${line.id}&before=2&after=5`);
    expect(ctx.status).toBe(200);
    expect(ctx.body.data.before.map((l: { body: string }) => l.body)).toEqual(['checkout started for cart 42', 'Checkout FAILED: card declined']);
    expect(ctx.body.data.line.body).toBe('slow query took 900ms');
    expect(ctx.body.data.after.map((l: { body: string }) => l.body)).toEqual(['worker crashed']);
  });

  it("another organisation sees none of these lines, and naming this org's service is a 404", async () => {
    const res = await get(`/api/v1/logs?${range}&q=checkout`, other);
    expect(res.body.data.items.map((l: { body: string }) => l.body)).toEqual(['checkout started elsewhere']);
    expect((await get(`/api/v1/logs?${range}&service_id=${svc.serviceId}`, other)).status).toBe(404);
    const [line] = (await get(`/api/v1/logs?${range}&q=slow`)).body.data.items;
    expect((await get(`/api/v1/logs/context?id=${line.id}`, other)).status).toBe(404);
    expect((await get(`/api/v1/services/${svc.serviceId}/logs`, other)).status).toBe(404);
  });

  it("the seed's service log route keeps its shape and takes the new filters", async () => {
    const res = await get(`/api/v1/services/${svc.serviceId}/logs?tail=10&q=checkout`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.map((l: { line: string }) => l.line)).toEqual(['checkout started for cart 42', 'Checkout FAILED: card declined']);
    expect(res.body.data[0]).toMatchObject({ stream: 'stdout', deployment_id: null, severity: 'info', trace_id: TRACE });
    const errors = await get(`/api/v1/services/${svc.serviceId}/logs?severity=error&attr.http.route=/pay`);
    expect(errors.body.data.map((l: { line: string }) => l.line)).toEqual(['Checkout FAILED: card declined']);
  });

  it('absurd ranges and bad filters are 400s that say what to fix', async () => {
    const cases = [
      `from=${now}&to=${now - 1000}`,
      `from=${now - 30 * 86_400_000}&to=${now}`,
      `from=0&to=${now}`,
      `from=yesterday&to=${now}`,
      `to=${now}`,
      `${range}&severity=loud`,
      `${range}&trace_id=xyz`,
      `${range}&cursor=not-a-cursor`,
      `${range}&cursor=99999999999999999999-1`,
      `${range}&unknown=1`,
    ];
    for (const q of cases) {
      const res = await get(`/api/v1/logs?${q}`);
      expect(res.status, `${q}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    const iso = await get(`/api/v1/logs?from=${new Date(t0 - 60_000).toISOString()}&to=${encodeURIComponent(new Date(now).toISOString().replace('Z', '+00:00'))}&q=slow`);
    expect(iso.body.data.items).toHaveLength(1);
  });

  it('a search past its row budget is a 400 asking to narrow it, not a long scan', async () => {
    const tight = new TelemetryQueryService({
      clickhouse: env.clickhouse.client,
      serviceInOrg: async () => undefined,
      deployMarkers: async () => [],
      limits: { maxExecutionSeconds: 5, maxRowsToRead: 1, maxBytesToRead: 1e9, maxMemoryBytes: 1e9 },
    });
    await expect(tight.logs(owner.orgId, { from: t0 - 60_000, to: now, q: 'checkout', limit: 10 } as never)).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: { reason: 'query_too_broad' } });
  });
});

describe('traces', () => {
  it('lists root spans with duration, span count and error flag, filtered by status and duration', async () => {
    const res = await get(`/api/v1/traces?${range}&service_id=${svc.serviceId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.items.map((t: { operation: string }) => t.operation)).toEqual(['GET /health', 'POST /pay']);
    expect(res.body.data.items[1]).toMatchObject({ trace_id: TRACE, span_count: 3, error: true, duration_ms: 120, service_id: svc.serviceId });
    const failed = await get(`/api/v1/traces?${range}&status=error`);
    expect(failed.body.data.items.map((t: { trace_id: string }) => t.trace_id)).toEqual([TRACE]);
    const slow = await get(`/api/v1/traces?${range}&min_duration_ms=100`);
    expect(slow.body.data.items.map((t: { trace_id: string }) => t.trace_id)).toEqual([TRACE]);
    const op = await get(`/api/v1/traces?${range}&operation=${encodeURIComponent('GET /health')}`);
    expect(op.body.data.items).toHaveLength(1);
  });

  it('returns a trace with its spans nested right, their status, events and attributes', async () => {
    const res = await get(`/api/v1/traces/${TRACE}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const spans = res.body.data.spans as Array<{ span_id: string; parent_span_id: string; name: string; status: { code: string }; duration: number; events: unknown[]; attributes: Record<string, string>; kind: string }>;
    expect(spans.map((s) => [s.name, s.parent_span_id])).toEqual([
      ['POST /pay', ''],
      ['charge card', '1'.repeat(16)],
      ['SELECT cards', '2'.repeat(16)],
    ]);
    expect(spans[1]).toMatchObject({ status: { code: 'Error', message: 'boom' }, duration: 80, attributes: { 'http.route': '/pay' } });
    expect(spans[1]!.events).toEqual([expect.objectContaining({ name: 'exception', attributes: { 'exception.message': 'boom' } })]);
    expect(spans[2]!.kind).toBe('Client');
  });

  it("another organisation's trace id is a 404, like one that does not exist", async () => {
    expect((await get(`/api/v1/traces/${FOREIGN_TRACE}`)).status).toBe(404);
    expect((await get(`/api/v1/traces/${TRACE}`, other)).status).toBe(404);
    expect((await get(`/api/v1/traces/${'d'.repeat(32)}`)).status).toBe(404);
    expect((await get(`/api/v1/traces/not-hex`)).status).toBe(400);
  });
});

describe('metrics', () => {
  const base = (over: Record<string, unknown>) => ({ OrgId: svc.orgId, ProjectId: svc.projectId, ServiceId: svc.serviceId, ServiceName: 'web', ...over });
  const start = t0 - 3_600_000; // the app started an hour before the window

  beforeAll(async () => {
    await write('otel_metrics_gauge', [0, 1, 2, 3].map((i) => base({ MetricName: 'queue.depth', MetricUnit: '1', TimeUnix: chTime(t0 + i * 30_000), Value: 10 + i * 10, Attributes: { queue: i % 2 ? 'b' : 'a' } })) as never);
    // A cumulative counter: +60 per minute, restarted (reset to 0) at minute 3.
    const counter = [100, 160, 220, 30, 90].map((v, i) => base({ MetricName: 'http.requests', MetricUnit: '{request}', StartTimeUnix: chTime(i >= 3 ? t0 + 2 * 60_000 + 30_000 : start), TimeUnix: chTime(t0 + i * 60_000), Value: v, AggregationTemporality: 2, IsMonotonic: true }));
    await write('otel_metrics_sum', counter as never);
    // A cumulative histogram of latency (ms): between the two points, 100 requests: 50 ≤ 10, 40 ≤ 100, 10 above (max 400).
    const bounds = [10, 100];
    await write('otel_metrics_histogram', [
      base({ MetricName: 'http.duration', MetricUnit: 'ms', StartTimeUnix: chTime(start), TimeUnix: chTime(t0), Count: 10, Sum: 100, BucketCounts: [10, 0, 0], ExplicitBounds: bounds, Min: 1, Max: 9, AggregationTemporality: 2 }),
      base({ MetricName: 'http.duration', MetricUnit: 'ms', StartTimeUnix: chTime(start), TimeUnix: chTime(t0 + 60_000), Count: 110, Sum: 5100, BucketCounts: [60, 40, 10], ExplicitBounds: bounds, Min: 1, Max: 400, AggregationTemporality: 2 }),
    ] as never);
  });

  const metric = (q: string) => get(`/api/v1/metrics?from=${t0}&to=${t0 + 5 * 60_000}&service_id=${svc.serviceId}&${q}`);

  it('aggregates a gauge per step, by group', async () => {
    const res = await metric('name=queue.depth&step=60&agg=avg');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ type: 'gauge', unit: '1' });
    const bucket = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    const points = new Map<number, number[]>();
    for (const i of [0, 1, 2, 3]) points.set(bucket(t0 + i * 30_000), [...(points.get(bucket(t0 + i * 30_000)) ?? []), 10 + i * 10]);
    expect(res.body.data.series[0].points).toEqual([...points].map(([t, vs]) => [t, vs.reduce((a, b) => a + b, 0) / vs.length]));
    const grouped = await metric('name=queue.depth&step=300&agg=max&group_by=queue');
    expect(grouped.body.data.series.map((s: { group: string; points: number[][] }) => [s.group, Math.max(...s.points.map((p) => p[1]!))])).toEqual([
      ['a', 30],
      ['b', 40],
    ]);
  });

  it("turns a cumulative counter into its rate, across a restart", async () => {
    const res = await metric('name=http.requests&step=60&agg=rate');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.type).toBe('sum');
    // +60 per minute = 1/s; the restarted series counts its first 30 (since its start) then +60.
    expect(res.body.data.series[0].points.map((p: number[]) => p[1])).toEqual([1, 1, 0.5, 1]);
    const increase = await metric('name=http.requests&step=300&agg=sum');
    expect(increase.body.data.series[0].points.map((p: number[]) => p[1]).reduce((a: number, b: number) => a + b, 0)).toBe(60 + 60 + 30 + 60);
  });

  it('computes p95 of a histogram from its buckets', async () => {
    const res = await metric('name=http.duration&step=300&agg=p95');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.type).toBe('histogram');
    const [[, p95]] = res.body.data.series[0].points;
    // rank 95 of 100 falls in (100, +inf) with max 400: 100 + 300 × 5/10.
    expect(p95).toBeCloseTo(250);
    const count = await metric('name=http.duration&step=300&agg=count');
    expect(count.body.data.series[0].points[0][1]).toBe(100);
  });

  it('carries the deploy markers of the range on every series answer, and the span-derived rates', async () => {
    const deployedAt = new Date(t0 + 90_000);
    const id = await deploymentAt(env, svc.orgId, svc.serviceId, deployedAt);
    await deploymentAt(env, svc.orgId, svc.serviceId, new Date(t0 - 86_400_000)); // outside the range
    const res = await metric('name=queue.depth&step=60');
    expect(res.body.data.markers).toEqual([expect.objectContaining({ deployment_id: id, service_id: svc.serviceId, at: deployedAt.toISOString(), status: 'running' })]);
    const red = await get(`/api/v1/metrics/spans?${range}&service_id=${svc.serviceId}&step=3600`);
    expect(red.status, JSON.stringify(red.body)).toBe(200);
    expect(red.body.data.markers.map((m: { deployment_id: string }) => m.deployment_id)).toContain(id);
    const total = red.body.data.points.reduce((a: number, p: number[]) => a + p[1]! * 3600, 0);
    expect(total).toBeCloseTo(2); // two entry spans: POST /pay and GET /health
    const none = await metric('name=nothing.here');
    expect(none.body.data).toMatchObject({ type: 'none', series: [] });
    expect((await get(`/api/v1/metrics?from=${t0}&to=${t0 + 5 * 60_000}&name=queue.depth`, other)).body.data.series).toEqual([]);
  });

  it('lists metric names for discovery; too many points or a gauge rate are 400s', async () => {
    const names = await get(`/api/v1/metrics/names?service_id=${svc.serviceId}`);
    expect(names.body.data.items.map((n: { name: string; type: string }) => `${n.name}:${n.type}`)).toEqual(['http.duration:histogram', 'http.requests:sum', 'queue.depth:gauge']);
    expect((await get(`/api/v1/metrics/names`, other)).body.data.items).toEqual([]);
    expect((await get(`/api/v1/metrics?from=${now - 20 * 86_400_000}&to=${now}&name=queue.depth&step=1`)).status).toBe(400);
    expect((await get(`/api/v1/metrics?from=${now - 40 * 86_400_000}&to=${now}&name=queue.depth&step=3600`)).status).toBe(400);
    expect((await metric('name=queue.depth&agg=rate')).status).toBe(400);
    expect((await metric('name=queue.depth&agg=median')).status).toBe(400);
  });
});
