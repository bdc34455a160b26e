import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount } from '../support/api-client.js';
import { RecordingProcessor, serviceWithDsn, waitFor } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
const errors = new RecordingProcessor();
const transactions = new RecordingProcessor();

beforeAll(async () => {
  env = await startTestEnv({}, { services: { errorEventProcessor: errors, transactionProcessor: transactions } });
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
});
