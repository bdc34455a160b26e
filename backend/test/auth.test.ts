import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/crypto.js';
import { apiClient, registerAccount, uniqueEmail, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

let env: TestEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await startTestEnv({ SYNTRA_LOGIN_LIMIT_PER_ACCOUNT: '3', SYNTRA_TRUST_PROXY: 'true' });
  api = apiClient(env.url);
});
afterAll(() => env.close());

describe('register, login, me, logout', () => {
  it('registers a user with a personal organisation they own', async () => {
    const email = uniqueEmail('ann');
    const res = await api.post('/api/v1/auth/register', { email: email.toUpperCase(), password: 'correct horse battery', name: 'Ann' });
    expect(res.status).toBe(201);
    expect(res.body.data.user.email).toBe(email);
    expect(res.body.data.org.role).toBe('owner');
    expect(res.body.data.token).toMatch(/^syn_s_/);
    expect(res.body.data.user).not.toHaveProperty('password_hash');

    const me = await api.get('/api/v1/auth/me', { token: res.body.data.token });
    expect(me.status).toBe(200);
    expect(me.body.data.orgs).toEqual([expect.objectContaining({ id: res.body.data.org.id, role: 'owner' })]);
  });

  it('stores only hashes: no password or token in clear text in the database', async () => {
    const account = await registerAccount(api, 'hash');
    const user = await env.db('users').where({ id: account.userId }).first();
    expect(user!.password_hash).toMatch(/^scrypt\$/);
    expect(user!.password_hash).not.toContain('correct horse');
    const sessions = await env.db('sessions').where({ user_id: account.userId });
    expect(sessions.map((s) => s.token_hash)).toEqual([sha256Hex(account.token)]);
  });

  it('refuses a second account with the same email', async () => {
    const account = await registerAccount(api, 'dup');
    const res = await api.post('/api/v1/auth/register', { email: account.email, password: 'another long one', name: 'Dup' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
  });

  it('logs in with the right password only, and logout revokes the session', async () => {
    const account = await registerAccount(api, 'login');
    const bad = await api.post('/api/v1/auth/login', { email: account.email, password: 'wrong password!' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toBe('Invalid email or password');

    const ok = await api.post('/api/v1/auth/login', { email: account.email, password: 'correct horse battery' });
    expect(ok.status).toBe(200);
    const token = ok.body.data.token;
    expect((await api.get('/api/v1/auth/me', { token })).status).toBe(200);
    expect((await api.post('/api/v1/auth/logout', undefined, { token })).status).toBe(200);
    const after = await api.get('/api/v1/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHORIZED');
    // The registration session is unaffected by logging out another one.
    expect((await api.get('/api/v1/auth/me', { token: account.token })).status).toBe(200);
  });

  it('an unknown email gets the same answer as a wrong password', async () => {
    const res = await api.post('/api/v1/auth/login', { email: uniqueEmail('ghost'), password: 'whatever it is' });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('Invalid email or password');
  });

  it('a client that failed on an account past its budget is refused with 429 and Retry-After, even with the right password', async () => {
    const account = await registerAccount(api, 'limited');
    const from = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    for (let i = 0; i < 3; i += 1) {
      expect((await api.post('/api/v1/auth/login', { email: account.email, password: 'nope nope nope' }, from)).status).toBe(401);
    }
    const blocked = await api.post('/api/v1/auth/login', { email: account.email, password: 'correct horse battery' }, from);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('rate-limits login attempts per client IP across accounts', async () => {
    const strict = await startTestEnv({ SYNTRA_LOGIN_LIMIT_PER_IP: '4', SYNTRA_TRUST_PROXY: 'true' });
    try {
      const client = apiClient(strict.url);
      const from = { headers: { 'x-forwarded-for': '198.51.100.23' } };
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        statuses.push((await client.post('/api/v1/auth/login', { email: uniqueEmail(`spray${i}`), password: 'guess guess' }, from)).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      // Another address is unaffected.
      const other = await client.post('/api/v1/auth/login', { email: uniqueEmail('other'), password: 'guess guess' }, { headers: { 'x-forwarded-for': '198.51.100.99' } });
      expect(other.status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('records sign-ins and failures in the audit log, visible to the org owner', async () => {
    const account = await registerAccount(api, 'audited');
    await api.post('/api/v1/auth/login', { email: account.email, password: 'bad password..' });
    await api.post('/api/v1/auth/login', { email: account.email, password: 'correct horse battery' });
    const audit = await api.get(`/api/v1/orgs/${account.orgId}/audit`, { token: account.token });
    expect(audit.status).toBe(200);
    const actions = audit.body.data.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'user.registered']));
    const login = audit.body.data.items.find((e: { action: string }) => e.action === 'auth.login');
    expect(login.ip).toBeTruthy();
  });
});

describe('bearer handling', () => {
  it('rejects missing, malformed and unknown tokens with 401 in the envelope', async () => {
    const variants: Array<Record<string, string>> = [{}, { authorization: 'Bearer' }, { authorization: 'Basic abc' }, { authorization: 'Bearer syn_s_nope' }];
    for (const headers of variants) {
      const res = await api.get('/api/v1/auth/me', { headers });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
      expect(res.body.error.request_id).toBeTruthy();
    }
  });
});
