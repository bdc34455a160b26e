/**
 * Sentry `transaction` items → spans: a real @sentry/node transaction, captured with a custom
 * transport as the intake would receive it, handed to the TransactionProcessor.
 */
import * as Sentry from '@sentry/node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedTransaction } from '../../src/modules/ingest/ports.js';
import { SentryTransactionProcessor } from '../../src/modules/telemetry/index.js';
import { KEYS, type OtlpTestServer, SERVICE_NAMES, sentItems, serveOtlp } from './otlp-support.js';

const transactionsOf = (envelopes: Array<string | Uint8Array>) => sentItems(envelopes, (h) => h.type === 'transaction');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let store: OtlpTestServer;
beforeAll(async () => {
  store = await serveOtlp();
});
afterAll(async () => {
  await Sentry.close();
  await store.close();
});

describe('Sentry transactions become spans', () => {
  it('stores the transaction as the root span and its spans as children, with status and durations', async () => {
    const sent: Array<string | Uint8Array> = [];
    Sentry.init({
      dsn: `http://${KEYS.shop.publicKey}@127.0.0.1:9/${KEYS.shop.projectRef}`,
      tracesSampleRate: 1,
      // @sentry/node 11 streams spans (`span` items) by default; `static` sends `transaction` items.
      traceLifecycle: 'static',
      defaultIntegrations: false,
      release: 'shop@1.4.0',
      environment: 'production',
      transport: (options) =>
        Sentry.createTransport(options, async (request) => {
          sent.push(request.body);
          return { statusCode: 200 };
        }),
    });
    await Sentry.startSpan({ name: 'GET /orders', op: 'http.server', attributes: { 'http.route': '/orders' } }, async () => {
      await Sentry.startSpan({ name: 'SELECT * FROM orders', op: 'db.query' }, async (span) => {
        await sleep(15);
        span.setStatus({ code: 2, message: 'internal_error' });
      });
      await sleep(5);
    });
    await Sentry.flush(5000);
    const [payload] = transactionsOf(sent);
    expect(payload).toBeDefined();

    const processor = new SentryTransactionProcessor(store.writer, async (id) => SERVICE_NAMES[id] ?? null, pino({ level: 'silent' }));
    const received: ReceivedTransaction = {
      orgId: KEYS.shop.orgId,
      projectId: KEYS.shop.projectId,
      serviceId: KEYS.shop.serviceId,
      keyId: KEYS.shop.keyId,
      eventId: String(payload!.event_id),
      receivedAt: new Date().toISOString(),
      payload: payload!,
    };
    await processor.process([received, { ...received, eventId: 'f'.repeat(32), payload: { type: 'transaction', spans: 'nope' } }]);
    // Redelivered (the intake's queue retries a batch): stored once.
    await processor.process([received]);

    const spans = await store.rows('otel_traces');
    expect(spans).toHaveLength(2);
    const root = spans.find((s) => s.SpanName === 'GET /orders')!;
    const child = spans.find((s) => s.SpanName === 'SELECT * FROM orders')!;
    const trace = (payload!.contexts as { trace: { trace_id: string; span_id: string } }).trace;
    expect(root).toMatchObject({
      TraceId: trace.trace_id,
      SpanId: trace.span_id,
      ParentSpanId: '',
      SpanKind: 'Server',
      StatusCode: 'Ok',
      ServiceName: 'shop',
      ServiceId: KEYS.shop.serviceId,
      OrgId: KEYS.shop.orgId,
      ResourceAttributes: { 'service.version': 'shop@1.4.0', 'deployment.environment.name': 'production' },
    });
    expect(root.SpanAttributes).toMatchObject({ 'http.route': '/orders', 'sentry.op': 'http.server', 'sentry.event_id': received.eventId });
    expect(child).toMatchObject({ TraceId: trace.trace_id, ParentSpanId: trace.span_id, SpanKind: 'Client', StatusCode: 'Error', StatusMessage: 'internal_error' });
    expect(Number(child.Duration)).toBeGreaterThanOrEqual(14_000_000);
    expect(Number(root.Duration)).toBeGreaterThanOrEqual(Number(child.Duration) + 4_000_000);
    expect(root.Timestamp <= child.Timestamp).toBe(true);
  });
});
