import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, uniqueEmail, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

const PASSWORD = 'correct horse battery';

async function register(api: ApiClient, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api.post('/api/v1/auth/register', { password: PASSWORD, name: 'Someone', ...body }, { headers });
}

async function inviteFrom(api: ApiClient, owner: { token: string; orgId: string }, email: string, role = 'developer') {
  const res = await api.post(`/api/v1/orgs/${owner.orgId}/invites`, { email, role }, { token: owner.token });
  expect(res.status).toBe(201);
  return res.body.data.token as string;
}

describe('SYNTRA_SIGNUP=invite (the default)', () => {
  let env: TestEnv;
  let api: ApiClient;
  let admin: { token: string; orgId: string };
  beforeAll(async () => {
    env = await startTestEnv({ SYNTRA_SIGNUP: 'invite' });
    api = apiClient(env.url);
  });
  afterAll(() => env.close());

  it('tells the console that the first account is still to be made, and that sign-up is by invite', async () => {
    const res = await api.get('/api/v1/auth/providers');
    expect(res.body.data).toMatchObject({ password: true, signup: 'invite', first_account: true });
  });

  it('lets the first account register freely; it owns the oldest organisation (the admin org)', async () => {
    const res = await register(api, { email: uniqueEmail('admin') });
    expect(res.status).toBe(201);
    expect(res.body.data.org.role).toBe('owner');
    admin = { token: res.body.data.token, orgId: res.body.data.org.id };
    const oldest = await env.db('organizations').orderBy([{ column: 'created_at' }, { column: 'id' }]).first();
    expect(oldest!.id).toBe(admin.orgId);
    expect((await api.get('/api/v1/auth/providers')).body.data.first_account).toBe(false);
  });

  it('refuses a second account without an invite, saying what to do', async () => {
    const res = await register(api, { email: uniqueEmail('stranger') });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('INVITE_REQUIRED');
    expect(res.body.error.message).toMatch(/invite/);
  });

  it('an invite registers its addressee into the inviting organisation with its role, once, and no personal org', async () => {
    const email = uniqueEmail('invited');
    const token = await inviteFrom(api, admin, email, 'developer');
    const res = await register(api, { email, invite_token: token });
    expect(res.status).toBe(201);
    expect(res.body.data.org).toMatchObject({ id: admin.orgId, role: 'developer' });
    const me = await api.get('/api/v1/auth/me', { token: res.body.data.token });
    expect(me.body.data.orgs).toEqual([expect.objectContaining({ id: admin.orgId, role: 'developer' })]);
    // Consumed: the same token registers nobody else, and no longer previews.
    const again = await register(api, { email: uniqueEmail('reuse'), invite_token: token });
    expect(again.status).toBe(404);
    expect((await api.get(`/api/v1/invites/${token}`)).status).toBe(404);
  });

  it('an invite is bound to its email: another address cannot use it, and nothing is created', async () => {
    const token = await inviteFrom(api, admin, uniqueEmail('bound'));
    const thief = uniqueEmail('thief');
    const res = await register(api, { email: thief, invite_token: token });
    expect(res.status).toBe(403);
    expect(await env.db('users').where({ email: thief }).first()).toBeUndefined();
    expect((await api.get(`/api/v1/invites/${token}`)).status).toBe(200);
  });

  it('an unknown invite token is a 404', async () => {
    const res = await register(api, { email: uniqueEmail('forged'), invite_token: 'syn_inv_not-a-real-token' });
    expect(res.status).toBe(404);
  });
});

describe('SYNTRA_SIGNUP=open and closed', () => {
  it('open: anyone registers and gets a personal organisation; an invite still lands them in the inviting team', async () => {
    const env = await startTestEnv({ SYNTRA_SIGNUP: 'open' });
    try {
      const api = apiClient(env.url);
      const first = await register(api, { email: uniqueEmail('first') });
      const second = await register(api, { email: uniqueEmail('second') });
      expect(second.status).toBe(201);
      expect(second.body.data.org.id).not.toBe(first.body.data.org.id);
      expect(second.body.data.org.role).toBe('owner');
      const email = uniqueEmail('third');
      const token = await inviteFrom(api, { token: first.body.data.token, orgId: first.body.data.org.id }, email, 'viewer');
      const third = await register(api, { email, invite_token: token });
      expect(third.body.data.org).toMatchObject({ id: first.body.data.org.id, role: 'viewer' });
      expect((await api.get('/api/v1/auth/providers')).body.data.signup).toBe('open');
    } finally {
      await env.close();
    }
  });

  it('closed: only the first account; everyone after is refused, invite or not', async () => {
    const env = await startTestEnv({ SYNTRA_SIGNUP: 'closed' });
    try {
      const api = apiClient(env.url);
      const first = await register(api, { email: uniqueEmail('only') });
      expect(first.status).toBe(201);
      const email = uniqueEmail('late');
      const token = await inviteFrom(api, { token: first.body.data.token, orgId: first.body.data.org.id }, email);
      for (const body of [{ email }, { email, invite_token: token }]) {
        const res = await register(api, body);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('SIGNUP_CLOSED');
      }
    } finally {
      await env.close();
    }
  });

  it('two simultaneous first registrations in invite mode: exactly one becomes the admin', async () => {
    const env = await startTestEnv({ SYNTRA_SIGNUP: 'invite' });
    try {
      const api = apiClient(env.url);
      const results = await Promise.all([0, 1, 2].map((i) => register(api, { email: uniqueEmail(`race${i}`) })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403]);
    } finally {
      await env.close();
    }
  });
});

describe('registration rate limit and password rules', () => {
  let env: TestEnv;
  let api: ApiClient;
  beforeAll(async () => {
    env = await startTestEnv({ SYNTRA_SIGNUP: 'open', SYNTRA_REGISTER_LIMIT_PER_IP: '3', SYNTRA_TRUST_PROXY: 'true' });
    api = apiClient(env.url);
  });
  afterAll(() => env.close());

  it('limits registrations per client IP with 429 and Retry-After; another address is unaffected', async () => {
    const from = { 'x-forwarded-for': '203.0.113.50' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await register(api, { email: uniqueEmail(`burst${i}`) }, from)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const blocked = await register(api, { email: uniqueEmail('burst-more') }, from);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await register(api, { email: uniqueEmail('elsewhere') }, { 'x-forwarded-for': '203.0.113.51' })).status).toBe(201);
  });

  it('refuses short and common passwords with a message naming the field', async () => {
    const cases = [
      { password: 'short-one', message: /at least 10/ },
      { password: 'password123', message: /most common/ },
      { password: 'qwertyuiop', message: /most common/ },
      { password: '1234567890', message: /most common/ },
      { password: 'aaaaaaaaaaaa', message: /repeated/ },
      { password: 'Syntra2026!', message: /product name/ },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await register(api, { email: uniqueEmail('weak'), password: c.password }, { 'x-forwarded-for': `203.0.113.${100 + i}` });
      expect(res.status, c.password).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.message).toMatch(c.message);
      expect(res.body.error.details.issues[0].path).toBe('password');
    }
  });
});
