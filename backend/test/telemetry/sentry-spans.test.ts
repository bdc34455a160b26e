/**
 * Sentry span v2 items → spans: the real @sentry/node (default `traceLifecycle: 'stream'`) captured
 * with a custom transport as the intake would receive it, handed to the SpanProcessor.
 */
import * as Sentry from '@sentry/node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedSpans } from '../../src/modules/ingest/ports.js';
import { SentrySpanProcessor } from '../../src/modules/telemetry/index.js';
import { KEYS, type OtlpTestServer, SERVICE_NAMES, sentItems, serveOtlp } from './otlp-support.js';

const containersOf = (envelopes: Array<string | Uint8Array>) => sentItems(envelopes, (h) => h.type === 'span' && h.content_type === 'application/vnd.sentry.items.span.v2+json');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let store: OtlpTestServer;
beforeAll(async () => {
  store = await serveOtlp();
});
afterAll(async () => {
  await Sentry.close();
  await store.close();
});

describe('Sentry span v2 items become spans', () => {
  it('stores each span with its parent, kind, status, typed attributes and durations, once however often redelivered', async () => {
    const sent: Array<string | Uint8Array> = [];
    Sentry.init({
      dsn: `http://${KEYS.shop.publicKey}@127.0.0.1:9/${KEYS.shop.projectRef}`,
      tracesSampleRate: 1,
      defaultIntegrations: false,
      release: 'shop@2.0.0',
      environment: 'staging',
      transport: (options) =>
        Sentry.createTransport(options, async (request) => {
          sent.push(request.body);
          return { statusCode: 200 };
        }),
    });
    let traceId = '';
    await Sentry.startSpan({ name: 'GET /cart', op: 'http.server', attributes: { 'cart.items': 3, 'cart.vip': true } }, async (root) => {
      traceId = root.spanContext().traceId;
      await Sentry.startSpan({ name: 'SELECT cart', op: 'db.query' }, async (span) => {
        await sleep(15);
        span.setStatus({ code: 2, message: 'internal_error' });
      });
    });
    await Sentry.flush(5000);
    const [container] = containersOf(sent);
    expect(container).toBeDefined();

    const processor = new SentrySpanProcessor(store.writer, async (id) => SERVICE_NAMES[id] ?? null, pino({ level: 'silent' }));
    const received: ReceivedSpans = {
      orgId: KEYS.shop.orgId,
      projectId: KEYS.shop.projectId,
      serviceId: KEYS.shop.serviceId,
      keyId: KEYS.shop.keyId,
      eventId: 'a'.repeat(32),
      receivedAt: new Date().toISOString(),
      payload: { ...container!, items: [...(container!.items as unknown[]), { span_id: 'not hex', name: 'broken' }] },
    };
    await processor.process([received, { ...received, eventId: 'f'.repeat(32), payload: { items: 'nope' } }]);
    await processor.process([received]);

    const spans = await store.rows('otel_traces');
    expect(spans).toHaveLength(2);
    const root = spans.find((s) => s.SpanName === 'GET /cart')!;
    const child = spans.find((s) => s.SpanName === 'SELECT cart')!;
    expect(root).toMatchObject({
      TraceId: traceId,
      ParentSpanId: '',
      SpanKind: 'Server',
      StatusCode: 'Ok',
      ServiceName: 'shop',
      ServiceId: KEYS.shop.serviceId,
      OrgId: KEYS.shop.orgId,
      ResourceAttributes: { 'service.name': 'shop', 'service.version': 'shop@2.0.0', 'deployment.environment.name': 'staging', 'telemetry.sdk.name': 'sentry.javascript.node' },
    });
    expect(root.SpanAttributes).toMatchObject({ 'cart.items': '3', 'cart.vip': 'true', 'sentry.op': 'http.server', 'sentry.release': 'shop@2.0.0' });
    expect(child).toMatchObject({ TraceId: traceId, ParentSpanId: root.SpanId, SpanKind: 'Client', StatusCode: 'Error', StatusMessage: 'internal_error' });
    expect(Number(child.Duration)).toBeGreaterThanOrEqual(14_000_000);
    expect(Number(root.Duration)).toBeGreaterThanOrEqual(Number(child.Duration));
  });
});
