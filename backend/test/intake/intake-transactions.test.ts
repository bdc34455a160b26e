import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount } from '../support/api-client.js';
import { RecordingProcessor, serviceWithDsn, waitFor } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
const errors = new RecordingProcessor();
const transactions = new RecordingProcessor();
const spans = new RecordingProcessor();

beforeAll(async () => {
  env = await startTestEnv({}, { services: { errorEventProcessor: errors, transactionProcessor: transactions, spanProcessor: spans } });
  env.deps.services.intake.startConsumer({ pollMs: 50 });
});
afterAll(() => env.close());

describe('transactions, once a tracing store is wired', () => {
  it('go to the TransactionProcessor with their source; events of the same envelope to the ErrorEventProcessor', async () => {
    const api = apiClient(env.url);
    const owner = await registerAccount(api, 'tx');
    const t = await serviceWithDsn(env, api, owner);
    const txId = '1'.repeat(32);
    const evId = '2'.repeat(32);
    const body = [
      '{}',
      '{"type":"transaction"}',
      JSON.stringify({ event_id: txId, type: 'transaction', transaction: 'GET /orders', spans: [], start_timestamp: 1, timestamp: 2, contexts: { trace: { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) } } }),
      '{"type":"event"}',
      JSON.stringify({ event_id: evId, message: 'boom' }),
      '',
    ].join('\n');
    const res = await fetch(`${env.url}/api/${t.projectRef}/envelope/?sentry_key=${t.key.public_key}`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: evId });
    const tx = await waitFor('the transaction', () => transactions.transactions.find((x) => x.eventId === txId));
    expect(tx).toMatchObject({ serviceId: t.serviceId, orgId: owner.orgId, keyId: t.key.id, payload: { transaction: 'GET /orders' } });
    await waitFor('the event', () => errors.events.some((e) => e.eventId === evId));
    expect(errors.events.some((e) => e.eventId === txId)).toBe(false);
  });

  it('span v2 items (the SDK default) go to the SpanProcessor, counted by span; a container without items is a 400', async () => {
    const api = apiClient(env.url);
    const owner = await registerAccount(api, 'spans');
    const t = await serviceWithDsn(env, api, owner);
    const span = (id: string) => ({ trace_id: 'c'.repeat(32), span_id: id, name: 'GET /cart', status: 'ok', is_segment: false, start_timestamp: 1, end_timestamp: 2, attributes: {} });
    const header = JSON.stringify({ type: 'span', item_count: 2, content_type: 'application/vnd.sentry.items.span.v2+json' });
    const url = `${env.url}/api/${t.projectRef}/envelope/?sentry_key=${t.key.public_key}`;
    const res = await fetch(url, { method: 'POST', body: ['{}', header, JSON.stringify({ version: 2, items: [span('1'.repeat(16)), span('2'.repeat(16))] }), ''].join('\n') });
    expect(res.status).toBe(200);
    const got = await waitFor('the span container', () => spans.transactions.find((x) => x.serviceId === t.serviceId));
    expect(got).toMatchObject({ orgId: owner.orgId, keyId: t.key.id, payload: { version: 2 } });
    expect(got.eventId).toMatch(/^[0-9a-f]{32}$/);
    expect((got.payload.items as unknown[]).length).toBe(2);

    const bad = await fetch(url, { method: 'POST', body: ['{}', header, JSON.stringify({ version: 2, spans: [] }), ''].join('\n') });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('span container');
    const stats = await api.get(`/api/v1/services/${t.serviceId}/intake`, { token: owner.token });
    expect(stats.body.data.stats).toMatchObject({ spans: 2, dropped_invalid: 1 });
  });
});
