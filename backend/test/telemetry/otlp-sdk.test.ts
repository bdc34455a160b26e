/**
 * The real OpenTelemetry SDK for Node (2.x line) exporting to the OTLP intake with a client key:
 * logs and traces over protobuf, metrics over JSON. The rows are read back from ClickHouse.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, type OtlpTestServer, serveOtlp } from './otlp-support.js';

let server: OtlpTestServer;
// The payload claims another service: the key decides, the claim is kept as a resource attribute.
const resource = resourceFromAttributes({ 'service.name': 'not-the-shop', 'host.name': 'web-1' });
const bearer = { authorization: `Bearer ${KEYS.shop.publicKey}` };
// The exporter's CompressionAlgorithm enum lives in otlp-exporter-base (not a direct dependency): its GZIP member's value.
const GZIP = 'gzip' as ConstructorParameters<typeof OTLPTraceExporter>[0] extends infer C ? (C extends { compression?: infer A } ? A : never) : never;

beforeAll(async () => {
  server = await serveOtlp();
});
afterAll(() => server.close());

describe('OTLP intake with the real OpenTelemetry SDK', () => {
  it('stores log records sent over protobuf in otel_logs, the key deciding the service', async () => {
    const provider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${server.url}/v1/logs`, headers: bearer }) })],
    });
    const logger = provider.getLogger('checkout', '1.2.3');
    logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment declined for order 42', attributes: { 'order.id': 42, 'user.plan': 'pro' } });
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: { event: 'cart', items: 3 } });
    await provider.forceFlush();
    await provider.shutdown();

    const rows = await server.rows('otel_logs');
    expect(rows).toHaveLength(2);
    const declined = rows.find((r) => r.SeverityText === 'ERROR')!;
    const cart = rows.find((r) => r.SeverityText === 'INFO')!;
    expect(declined).toMatchObject({
      Body: 'payment declined for order 42',
      SeverityNumber: 17,
      ServiceName: 'shop',
      ServiceId: KEYS.shop.serviceId,
      OrgId: KEYS.shop.orgId,
      ProjectId: KEYS.shop.projectId,
      ScopeName: 'checkout',
      ScopeVersion: '1.2.3',
      LogAttributes: { 'order.id': '42', 'user.plan': 'pro' },
      RetentionDays: 7,
    });
    expect(declined.ResourceAttributes).toMatchObject({ 'service.name': 'not-the-shop', 'host.name': 'web-1' });
    expect(Math.abs(Date.parse(`${String(declined.Timestamp).replace(' ', 'T').slice(0, 23)}Z`) - Date.now())).toBeLessThan(60_000);
    expect(JSON.parse(cart.Body)).toEqual({ event: 'cart', items: 3 });
    // The Body's token index answers a word search.
    const found = await server.rows('otel_logs', `hasToken(lower(Body), 'declined')`);
    expect(found.map((r) => r.Body)).toEqual(['payment declined for order 42']);
  });

  it('stores a gzip-compressed trace in otel_traces with its spans nested, timed and with their status', async () => {
    const provider = new BasicTracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: bearer, compression: GZIP }))],
    });
    const tracer = provider.getTracer('http');
    const root = tracer.startSpan('GET /checkout', { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout' } }, context.active());
    const child = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), root));
    child.addEvent('rows fetched', { count: 3 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
    await new Promise((r) => setTimeout(r, 20));
    child.end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();

    const spans = await server.rows('otel_traces', `TraceId = '${root.spanContext().traceId}'`);
    expect(spans).toHaveLength(2);
    const rootRow = spans.find((s) => s.SpanName === 'GET /checkout')!;
    const childRow = spans.find((s) => s.SpanName === 'SELECT orders')!;
    expect(rootRow).toMatchObject({ SpanId: root.spanContext().spanId, ParentSpanId: '', SpanKind: 'Server', StatusCode: 'Unset', ServiceName: 'shop', ServiceId: KEYS.shop.serviceId, SpanAttributes: { 'http.route': '/checkout' } });
    expect(childRow).toMatchObject({ ParentSpanId: rootRow.SpanId, SpanKind: 'Client', StatusCode: 'Error', StatusMessage: 'deadlock detected' });
    expect(childRow['Events.Name']).toEqual(['rows fetched']);
    expect(childRow['Events.Attributes']).toEqual([{ count: '3' }]);
    expect(Number(childRow.Duration)).toBeGreaterThanOrEqual(15_000_000);
    expect(Number(rootRow.Duration)).toBeGreaterThanOrEqual(Number(childRow.Duration));
    // The trace-id lookup table the exporter's schema keeps beside otel_traces is filled too.
    const lookup = await server.ch.client.query({ query: `SELECT count() AS n FROM otel_traces_trace_id_ts WHERE TraceId = {t:String}`, query_params: { t: rootRow.TraceId }, format: 'JSONEachRow' });
    expect(Number(((await lookup.json()) as Array<{ n: string }>)[0]!.n)).toBeGreaterThan(0);
  });

  it('stores gauges, counters and histograms sent over JSON, temporality and buckets kept', async () => {
    const exporter = new OTLPMetricExporter({ url: `${server.url}/v1/metrics`, headers: { 'x-syntra-key': KEYS.shop.publicKey }, temporalityPreference: AggregationTemporality.CUMULATIVE });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('app');
    meter.createObservableGauge('queue.depth').addCallback((r) => r.observe(17, { queue: 'emails' }));
    const counter = meter.createCounter('http.requests', { unit: '1' });
    counter.add(5, { route: '/a' });
    counter.add(2, { route: '/a' });
    const histogram = meter.createHistogram('http.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100, 1000] } });
    for (const v of [5, 50, 60, 500, 5000]) histogram.record(v);
    await reader.forceFlush();
    await provider.shutdown();

    const [gauge] = await server.rows('otel_metrics_gauge', `MetricName = 'queue.depth'`);
    expect(gauge).toMatchObject({ Value: 17, Attributes: { queue: 'emails' }, ServiceName: 'shop', ServiceId: KEYS.shop.serviceId });
    const [sum] = await server.rows('otel_metrics_sum', `MetricName = 'http.requests'`);
    expect(sum).toMatchObject({ Value: 7, IsMonotonic: true, AggregationTemporality: 2, MetricUnit: '1', Attributes: { route: '/a' } });
    const [hist] = await server.rows('otel_metrics_histogram', `MetricName = 'http.duration'`);
    expect(hist).toMatchObject({ Sum: 5615, ExplicitBounds: [10, 100, 1000], Min: 5, Max: 5000, MetricUnit: 'ms' });
    expect(Number(hist!.Count)).toBe(5);
    expect(hist!.BucketCounts.map(Number)).toEqual([1, 2, 1, 1]);
    expect([gauge, sum, hist].every((r) => r!.ResourceAttributes['service.name'] === 'not-the-shop')).toBe(true);
  });
});
