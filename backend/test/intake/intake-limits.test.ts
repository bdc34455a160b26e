import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, type ApiClient, type Account } from '../support/api-client.js';
import { sentryNode, serviceWithDsn } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
let api: ApiClient;
let owner: Account;

// No processor is wired here: accepted events wait in the queue, which is what the lag bound watches.
beforeAll(async () => {
  env = await startTestEnv({ SYNTRA_INGEST_KEY_RATE_PER_MINUTE: '3', SYNTRA_INGEST_ORG_RATE_PER_MINUTE: '5', SYNTRA_INGEST_MAX_LAG_SECONDS: '30' });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'limits');
});
afterAll(() => env.close());

const envelope = (n: number) => `{}\n{"type":"event"}\n${JSON.stringify({ message: `m${n}` })}\n`;
const send = (ref: number, key: string, n: number) => fetch(`${env.url}/api/${ref}/envelope/?sentry_key=${key}`, { method: 'POST', body: envelope(n) });

describe('intake rate limits and the lag bound', () => {
  it('over the per-key rate: 429 with Retry-After and X-Sentry-Rate-Limits, and the SDK backs off; dropped counts recorded', async () => {
    // 7 sends: even split across a minute boundary, one window sees more than the 3 allowed.
    const t = await serviceWithDsn(env, api, owner, 'a');
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 7; i += 1) {
      const res = await send(t.projectRef, t.key.public_key, i);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    expect(limited).not.toBeNull();
    const retry = Number(limited!.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(limited!.headers.get('x-sentry-rate-limits')).toMatch(new RegExp(`^${retry}::key:key_quota$`));

    // The real SDK honours the header: it stops sending (its transport drops locally, nothing reaches us).
    const sdk = sentryNode(t.dsn);
    sdk.scope.captureException(new Error('first, answered 429'));
    await sdk.flush();
    const before = (await api.get(`/api/v1/services/${t.serviceId}/intake`, { token: owner.token })).body.data.stats.dropped_rate_limited;
    sdk.scope.captureException(new Error('second, held back by the SDK'));
    await sdk.flush();
    const stats = (await api.get(`/api/v1/services/${t.serviceId}/intake`, { token: owner.token })).body.data.stats;
    expect(stats.dropped_rate_limited).toBe(before);
    expect(stats.dropped_rate_limited).toBeGreaterThanOrEqual(2);
  });

  it('over the per-organisation rate across keys: 429 with organization scope', async () => {
    const other = await registerAccount(api, 'limits-org');
    const a = await serviceWithDsn(env, api, other, 'a');
    const b = await serviceWithDsn(env, api, other, 'b');
    const results: Response[] = [];
    for (let i = 0; i < 3; i += 1) results.push(await send(a.projectRef, a.key.public_key, i));
    for (let i = 0; i < 4; i += 1) results.push(await send(b.projectRef, b.key.public_key, i));
    const org = results.find((r) => r.status === 429 && r.headers.get('x-sentry-rate-limits')?.includes(':organization:'));
    expect(org).toBeDefined();
  });

  it('when processing lags beyond the bound: 429 for everyone until it catches up', async () => {
    const other = await registerAccount(api, 'limits-lag');
    const t = await serviceWithDsn(env, api, other, 'lag');
    // An item acknowledged two minutes ago and never handed on (no worker runs here); the earlier tests' items waited as long.
    await env.db('ingest_queue').insert({ kind: 'event', service_id: t.serviceId, org_id: other.orgId, project_id: t.projectId, key_id: t.key.id, event_id: 'a'.repeat(32), received_at: new Date().toISOString(), payload: '{}' });
    await env.db('ingest_queue').update({ received_at: new Date(Date.now() - 120_000).toISOString() });
    await new Promise((r) => setTimeout(r, 1_100)); // the lag is looked up at most once a second
    const res = await send(t.projectRef, t.key.public_key, 1);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(res.headers.get('x-sentry-rate-limits')).toMatch(/^\d+::organization:backlog$/);
    const stats = (await api.get(`/api/v1/services/${t.serviceId}/intake`, { token: other.token })).body.data.stats;
    expect(stats.dropped_backlog).toBe(1);
  });
});
