/**
 * A small app instrumented as its users would: `@sentry/node` with its default options and a DSN
 * (only `tracesSampleRate` to turn tracing on; `TRACE_LIFECYCLE=static` for `transaction` items
 * instead of streamed span v2 items). It handles one "request": a root span with a child that
 * throws, the error captured inside the trace. Run as its own process (the SDK instruments the
 * process it runs in); prints `{"trace_id", "event_id"}` once everything was flushed.
 */
import * as Sentry from '@sentry/node';

const lifecycle = process.env.TRACE_LIFECYCLE === 'static' ? 'static' : undefined;
Sentry.init({
  dsn: process.env.SENTRY_DSN,
  tracesSampleRate: 1,
  release: 'shop@3.1.0',
  environment: 'production',
  ...(lifecycle ? { traceLifecycle: lifecycle } : {}),
});

function chargeCard(amount: number): never {
  throw new Error(`payment gateway timed out charging ${amount}`);
}

let traceId = '';
let eventId = '';
await Sentry.startSpan({ name: 'POST /orders', op: 'http.server', attributes: { 'http.route': '/orders' } }, async (root) => {
  traceId = root.spanContext().traceId;
  try {
    await Sentry.startSpan({ name: 'charge card', op: 'payment.charge' }, async () => {
      await new Promise((r) => setTimeout(r, 10));
      chargeCard(42);
    });
  } catch (err) {
    eventId = Sentry.captureException(err);
  }
});
const flushed = await Sentry.flush(10_000);
process.stdout.write(`${JSON.stringify({ trace_id: traceId, event_id: eventId, flushed })}\n`);
