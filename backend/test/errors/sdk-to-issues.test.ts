import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, type Account, type ApiClient } from '../support/api-client.js';
import { sentryNode, serviceWithDsn, waitFor } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

// The whole path a user sets up: the real @sentry/node pointed at a service's DSN → the intake →
// its queue consumer → grouping and storage → the issues API. No stand-in anywhere.
let env: TestEnv;
let api: ApiClient;
let owner: Account;
let target: Awaited<ReturnType<typeof serviceWithDsn>>;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'sdk-e2e');
  target = await serviceWithDsn(env, api, owner);
  env.deps.services.intake.startConsumer({ pollMs: 50 });
});
afterAll(() => env.close());

function checkout(cart: number) {
  throw new TypeError(`cart ${cart} is empty`);
}
function render(name: string) {
  throw new Error(`template ${name} missing`);
}

const issues = async () => (await api.get(`/api/v1/projects/${target.projectId}/issues?sort=events`, { token: owner.token })).body.data.items as Array<Record<string, any>>;

describe('@sentry/node → DSN → issues', () => {
  it('exceptions from two code paths become two issues with counts, users, release and frames', async () => {
    const sdk = sentryNode(target.dsn, { release: 'shop@2.0.0', environment: 'production' });
    const ids: string[] = [];
    for (const [i, call] of [() => checkout(1), () => checkout(2), () => render('home'), () => checkout(3)].entries()) {
      sdk.scope.setUser({ id: `user-${i % 2}` });
      try {
        call();
      } catch (err) {
        ids.push(sdk.scope.captureException(err));
      }
    }
    expect(await sdk.flush()).toBe(true);

    const list = await waitFor('two issues with all four events', async () => {
      const items = await issues();
      return items.length === 2 && items[0]!.event_count + items[1]!.event_count === 4 ? items : null;
    });
    const [cart, template] = list;
    expect(cart).toMatchObject({ event_count: 3, user_count: 2, exception_type: 'TypeError', status: 'unresolved', first_release: 'shop@2.0.0', environments: ['production'] });
    expect(cart!.culprit).toMatch(/^checkout \(/);
    expect(template).toMatchObject({ event_count: 1, exception_type: 'Error' });

    const latest = await api.get(`/api/v1/issues/${cart!.id}/events/latest`, { token: owner.token });
    expect(latest.status).toBe(200);
    expect(ids).toContain(latest.body.data.event_id);
    const frames = JSON.stringify(latest.body.data);
    expect(frames).toContain('checkout');
    expect(frames).toContain('sdk-to-issues.test.ts');
  });

  it('a gzipped envelope is grouped like a plain one', async () => {
    const eventId = 'ab'.repeat(16);
    const event = { event_id: eventId, level: 'error', platform: 'node', message: { formatted: 'queue 17 stalled' }, timestamp: Date.now() / 1000 };
    const body = zlib.gzipSync(`${JSON.stringify({ event_id: eventId })}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}\n`);
    const res = await fetch(`${env.url}/api/${target.projectRef}/envelope/?sentry_key=${target.key.public_key}`, { method: 'POST', body, headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: eventId });
    const found = await waitFor('the gzipped event as an issue', async () => (await issues()).find((i) => String(i.title).includes('stalled')));
    expect(found.event_count).toBe(1);
  });
});
