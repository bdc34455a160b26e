/**
 * The real OpenTelemetry SDK for Node (2.x line) exporting to the OTLP intake with a client key:
 * logs and traces over protobuf, metrics over JSON. Rows are checked as the store receives them.
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
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KEYS, type OtlpTestServer, serveOtlp } from './otlp-support.js';
import { RecordingWriter } from './recording-writer.js';

const writer = new RecordingWriter();
// The exporter's CompressionAlgorithm enum lives in otlp-exporter-base (not a direct dependency): its GZIP member's value.
const GZIP = 'gzip' as ConstructorParameters<typeof OTLPTraceExporter>[0] extends infer C ? (C extends { compression?: infer A } ? A : never) : never;
let server: OtlpTestServer;
// The payload claims another service: the key decides, the claim is kept as a resource attribute.
const resource = resourceFromAttributes({ 'service.name': 'not-the-shop', 'host.name': 'web-1' });
const bearer = { authorization: `Bearer ${KEYS.shop.publicKey}` };

beforeAll(async () => {
  server = await serveOtlp(writer);
});
afterAll(() => server.close());
beforeEach(() => {
  writer.logs = [];
  writer.traces = [];
  writer.metrics = [];
});

describe('OTLP intake with the real OpenTelemetry SDK', () => {
  it('stores log records sent over protobuf, with the key deciding the service', async () => {
    const provider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${server.url}/v1/logs`, headers: bearer }) })],
    });
    const logger = provider.getLogger('checkout', '1.2.3');
    logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment declined for order 42', attributes: { 'order.id': 42, 'user.plan': 'pro' } });
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: { event: 'cart', items: 3 } });
    await provider.forceFlush();
    await provider.shutdown();

    expect(writer.logs).toHaveLength(2);
    const [declined, cart] = writer.logs;
    expect(declined).toMatchObject({
      Body: 'payment declined for order 42',
      SeverityText: 'ERROR',
      SeverityNumber: 17,
      ServiceName: 'shop',
      ServiceId: KEYS.shop.serviceId,
      OrgId: KEYS.shop.orgId,
      ProjectId: KEYS.shop.projectId,
      ScopeName: 'checkout',
      ScopeVersion: '1.2.3',
      LogAttributes: { 'order.id': '42', 'user.plan': 'pro' },
    });
    expect(declined!.ResourceAttributes).toMatchObject({ 'service.name': 'not-the-shop', 'host.name': 'web-1' });
    expect(declined!.Timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}$/);
    expect(Math.abs(Date.parse(`${declined!.Timestamp.slice(0, 23)}Z`) - Date.now())).toBeLessThan(60_000);
    expect(JSON.parse(cart!.Body)).toEqual({ event: 'cart', items: 3 });
  });

  it('stores a trace sent over protobuf with its spans nested, timed and with their status', async () => {
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

    expect(writer.traces).toHaveLength(2);
    const rootRow = writer.traces.find((s) => s.SpanName === 'GET /checkout')!;
    const childRow = writer.traces.find((s) => s.SpanName === 'SELECT orders')!;
    expect(rootRow).toMatchObject({ ParentSpanId: '', SpanKind: 'Server', StatusCode: 'Unset', ServiceName: 'shop', ServiceId: KEYS.shop.serviceId, SpanAttributes: { 'http.route': '/checkout' } });
    expect(rootRow.TraceId).toBe(root.spanContext().traceId);
    expect(rootRow.SpanId).toBe(root.spanContext().spanId);
    expect(childRow).toMatchObject({ TraceId: rootRow.TraceId, ParentSpanId: rootRow.SpanId, SpanKind: 'Client', StatusCode: 'Error', StatusMessage: 'deadlock detected' });
    expect(childRow['Events.Name']).toEqual(['rows fetched']);
    expect(childRow['Events.Attributes']).toEqual([{ count: '3' }]);
    expect(childRow.Duration).toBeGreaterThanOrEqual(15_000_000);
    expect(rootRow.Duration).toBeGreaterThanOrEqual(childRow.Duration);
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

    const rows = writer.metrics.flatMap((m) => [...m.gauge, ...m.sum, ...m.histogram]);
    const gauge = writer.metrics.flatMap((m) => m.gauge).find((r) => r.MetricName === 'queue.depth');
    expect(gauge).toMatchObject({ Value: 17, Attributes: { queue: 'emails' }, ServiceName: 'shop', ServiceId: KEYS.shop.serviceId });
    const sum = writer.metrics.flatMap((m) => m.sum).find((r) => r.MetricName === 'http.requests');
    expect(sum).toMatchObject({ Value: 7, IsMonotonic: true, AggregationTemporality: 2, MetricUnit: '1', Attributes: { route: '/a' } });
    const hist = writer.metrics.flatMap((m) => m.histogram).find((r) => r.MetricName === 'http.duration');
    expect(hist).toMatchObject({ Count: 5, Sum: 5615, ExplicitBounds: [10, 100, 1000], BucketCounts: [1, 2, 1, 1], Min: 5, Max: 5000, MetricUnit: 'ms' });
    expect(rows.every((r) => r.ResourceAttributes['service.name'] === 'not-the-shop')).toBe(true);
  });
});
