/**
 * What the OTLP intake refuses: malformed protobuf and JSON, bad hex ids, missing, unknown and
 * revoked keys, a gzip bomb, a 25 MiB body. Every one is a 4xx in the OTLP error shape and
 * nothing reaches the store; a lagging store is a retryable 503 with Retry-After.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KEYS, type OtlpTestServer, serveOtlp } from './otlp-support.js';

let server: OtlpTestServer;
let bomb: Buffer;
beforeAll(async () => {
  // 200 MiB of spaces, gzipped to well under 1 MiB. Made first: compressing blocks this process for
  // seconds, long enough for the server to drop an idle keep-alive socket the next fetch would reuse.
  bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
  server = await serveOtlp();
});
afterAll(() => server.close());
beforeEach(async () => {
  for (const table of ['otel_logs', 'otel_traces', 'otel_metrics_gauge', 'otel_metrics_sum', 'otel_metrics_histogram']) {
    await server.ch.client.command({ query: `TRUNCATE TABLE ${table}` });
  }
});
const stored = () => server.totalRows();

const now = () => `${Date.now()}000000`;
const logsJson = (record: Record<string, unknown>) => ({
  resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 's' }, logRecords: [record] }] }],
});

async function post(path: string, body: Buffer | string | object, headers: Record<string, string> = {}, url = server.url) {
  const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.shop.publicKey}`, ...headers },
    body: bytes,
  });
  const type = res.headers.get('content-type') ?? '';
  const text = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, type, body: text as any, retryAfter: res.headers.get('retry-after') };
}

describe('OTLP intake: bad input', () => {
  it('answers malformed protobuf with 400 in protobuf and stores nothing', async () => {
    const res = await post('/v1/logs', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/x-protobuf');
    expect(res.body.toString('utf8')).toContain('Malformed protobuf logs request');
    expect(await stored()).toBe(0);
  });

  it('answers malformed and mistyped JSON with a 400 that says where', async () => {
    const broken = await post('/v1/traces', '{"resourceSpans": [');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/Malformed JSON traces request/);
    const mistyped = await post('/v1/logs', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 'yesterday', body: { stringValue: 'x' } }] }] }] });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.message).toContain('resourceLogs.0.scopeLogs.0.logRecords.0.timeUnixNano');
    expect(await stored()).toBe(0);
  });

  it('refuses ids that are not hex, or of the wrong length', async () => {
    const notHex = await post('/v1/logs', logsJson({ timeUnixNano: now(), body: { stringValue: 'x' }, traceId: 'zz'.repeat(16) }));
    expect(notHex.status).toBe(400);
    expect(notHex.body.message).toContain('traceId');
    const short = await post('/v1/traces', {
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(8), spanId: 'cd'.repeat(8), name: 'x', startTimeUnixNano: now(), endTimeUnixNano: now() }] }] }],
    });
    expect(short.status).toBe(400);
    expect(short.body.message).toContain('16-byte trace_id');
    expect(await stored()).toBe(0);
  });

  it('keeps the good records of a request and reports the rejected ones in partial_success', async () => {
    const body = {
      resourceLogs: [{ scopeLogs: [{ logRecords: [
        { timeUnixNano: now(), severityNumber: 'SEVERITY_NUMBER_WARN', body: { stringValue: 'kept' }, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' },
        { timeUnixNano: now(), body: { stringValue: 'dropped' }, spanId: 'ee' },
      ] }] }],
    };
    const res = await post('/v1/logs', body);
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess).toMatchObject({ rejectedLogRecords: 1 });
    expect(res.body.partialSuccess.errorMessage).toMatch(/span_id/);
    const rows = await server.rows('otel_logs');
    expect(rows.map((r) => [r.Body, r.SeverityNumber, r.SeverityText, r.TraceId, r.SpanId])).toEqual([['kept', 13, '', '5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174']]);
  });

  it('stores values that do not fit their columns as defaults, so one sender cannot fail a batch', async () => {
    const t = now();
    const odd = await post('/v1/metrics', {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [
        { name: 'h', histogram: { aggregationTemporality: 99, dataPoints: [{ timeUnixNano: t, count: '-5', sum: 'NaN', bucketCounts: ['-1'], flags: 2 ** 40, exemplars: [{ timeUnixNano: '-1', asInt: '3' }] }] } },
      ] }] }],
    });
    expect(odd.status).toBe(200);
    const traces = await post('/v1/traces', {
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'x', kind: 77, startTimeUnixNano: t, endTimeUnixNano: '99999999999999999999' }] }] }],
    });
    expect(traces.status).toBe(400);
    const logs = await post('/v1/logs', logsJson({ timeUnixNano: t, severityNumber: 1000, body: { stringValue: 'odd severity' } }));
    expect(logs.status).toBe(200);
    const [hist] = await server.rows('otel_metrics_histogram');
    expect(hist).toMatchObject({ Flags: 0, AggregationTemporality: 0 });
    expect([Number(hist!.Count), hist!.BucketCounts.map(Number)]).toEqual([0, [0]]);
    expect((await server.rows('otel_logs')).map((r) => [r.Body, r.SeverityNumber])).toEqual([['odd severity', 0]]);
  });

  it('refuses missing, unknown and revoked keys', async () => {
    const ok = logsJson({ timeUnixNano: now(), body: { stringValue: 'x' } });
    expect((await post('/v1/logs', ok, { authorization: '' })).status).toBe(401);
    expect((await post('/v1/logs', ok, { authorization: 'Bearer pk_nobody_has_this_key' })).status).toBe(401);
    expect((await post('/v1/logs', ok, { authorization: '', 'x-syntra-key': 'pk_nobody_has_this_key' })).status).toBe(401);
    expect((await post('/v1/logs', ok, { authorization: `Bearer ${KEYS.revoked.publicKey}` })).status).toBe(403);
    expect(await stored()).toBe(0);
  });

  it("stores under the key's own service and organisation whatever service.name claims", async () => {
    const claim = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: now(), body: { stringValue: 'from billing' } }] }] }] };
    expect((await post('/v1/logs/', claim, { authorization: `Bearer ${KEYS.billing.publicKey}` })).status).toBe(200);
    const rows = await server.rows('otel_logs');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ServiceName: 'billing', ServiceId: KEYS.billing.serviceId, OrgId: KEYS.billing.orgId, ProjectId: KEYS.billing.projectId, ResourceAttributes: { 'service.name': 'shop' } });
  });

  it('refuses a gzip bomb once it inflates past 20 MiB, without inflating the rest', async () => {
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await post('/v1/logs', bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/once decompressed/);
    expect(await stored()).toBe(0);
  });

  it('refuses a 25 MiB body with 413', async () => {
    const res = await post('/v1/logs', Buffer.alloc(25 * 1024 * 1024, 0x20), { 'content-type': 'application/x-protobuf' });
    expect(res.status).toBe(413);
    expect(await stored()).toBe(0);
  });

  it('refuses a body that claims gzip but is not, and unknown content types', async () => {
    expect((await post('/v1/logs', 'plain text', { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post('/v1/logs', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('/v1/logs', 'x', { 'content-encoding': 'br' })).status).toBe(415);
    expect(await stored()).toBe(0);
  });

  it('answers 429 with Retry-After when the store cannot take more, and stores nothing', async () => {
    const full = await serveOtlp({ writer: { maxQueuedBytes: 16 } });
    try {
      const res = await post('/v1/logs', logsJson({ timeUnixNano: now(), body: { stringValue: 'a line longer than the queue' } }), {}, full.url);
      expect(res.status).toBe(429);
      expect(Number(res.retryAfter)).toBeGreaterThan(0);
      expect(res.body.code).toBe(8);
      expect(await full.totalRows()).toBe(0);
      expect(full.writer.stats().tables.otel_logs.rejected).toBe(1);
    } finally {
      await full.close();
    }
  });
});
