import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, type Account, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

// ASVS 2.2.1: an attacker who knows an account's email must not be able to lock its owner out.
let env: TestEnv;
let api: ApiClient;
const PASSWORD = 'correct horse battery';
const from = (ip: string, extra: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...extra } });

beforeAll(async () => {
  env = await startTestEnv({ SYNTRA_LOGIN_LIMIT_PER_ACCOUNT: '3', SYNTRA_LOGIN_LIMIT_PER_IP: '1000', SYNTRA_TRUST_PROXY: 'true' });
  api = apiClient(env.url);
});
afterAll(() => env.close());

/** The attacker burns the account's failure budget (and more) from a pool of addresses. */
async function burn(account: Account, attempts = 8) {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i += 1) {
    const res = await api.post('/api/v1/auth/login', { email: account.email, password: `guess number ${i}` }, from(`198.51.100.${10 + (i % 4)}`));
    statuses.push(res.status);
  }
  return statuses;
}

async function signInForProof(account: Account, ip: string): Promise<string> {
  const res = await api.post('/api/v1/auth/login', { email: account.email, password: PASSWORD }, from(ip));
  expect(res.status).toBe(200);
  expect(res.body.data.device_token).toMatch(/^syn_dev_/);
  expect(res.headers.get('set-cookie')).toMatch(/syntra_device=syn_dev_[^;]+;.*httponly/i);
  return res.body.data.device_token;
}

describe('lockout-proof login', () => {
  it("an attacker's failures from other addresses do not stop the owner's device (with its proof) from signing in", async () => {
    const owner = await registerAccount(api, 'owner');
    const proof = await signInForProof(owner, '192.0.2.1');
    const statuses = await burn(owner);
    // The attacker's addresses that already failed are refused once the budget is spent.
    expect(statuses).toContain(429);
    const res = await api.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD }, from('192.0.2.1', { 'x-syntra-device': proof }));
    expect(res.status).toBe(200);
    expect(res.body.data.token).toMatch(/^syn_s_/);
  });

  it('the proof also works as the cookie the browser got, and from a new address', async () => {
    const owner = await registerAccount(api, 'cookie-owner');
    const proof = await signInForProof(owner, '192.0.2.2');
    await burn(owner);
    const res = await api.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD }, from('192.0.2.99', { cookie: `syntra_device=${proof}` }));
    expect(res.status).toBe(200);
  });

  it('a fresh client with no failed attempts still signs in with the right password while the account is under attack', async () => {
    const owner = await registerAccount(api, 'fresh');
    await burn(owner);
    const res = await api.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD }, from('192.0.2.3'));
    expect(res.status).toBe(200);
  });

  it('an attacking address that already failed is refused, even with the right password, and may not keep guessing', async () => {
    const owner = await registerAccount(api, 'refused');
    await burn(owner);
    const wrong = await api.post('/api/v1/auth/login', { email: owner.email, password: 'yet another guess' }, from('198.51.100.10'));
    expect(wrong.status).toBe(429);
    expect(wrong.body.error.code).toBe('RATE_LIMITED');
    const right = await api.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD }, from('198.51.100.11'));
    expect(right.status).toBe(429);
  });

  it("a proof is bound to its account, and a forged or another account's proof counts as none", async () => {
    const owner = await registerAccount(api, 'bound');
    const other = await registerAccount(api, 'other');
    const otherProof = await signInForProof(other, '192.0.2.5');
    await burn(owner);
    const [payload] = otherProof.slice('syn_dev_'.length).split('.');
    const forged = `syn_dev_${payload}.${'A'.repeat(43)}`;
    for (const proof of [otherProof, forged]) {
      // The attacking address gets nothing from someone else's proof: still refused.
      const res = await api.post('/api/v1/auth/login', { email: owner.email, password: 'guess with proof' }, from('198.51.100.12', { 'x-syntra-device': proof }));
      expect(res.status).toBe(429);
    }
  });

  it("a device's own failures are limited by its own budget, so a stolen proof does not allow endless guessing", async () => {
    const owner = await registerAccount(api, 'device-budget');
    const proof = await signInForProof(owner, '192.0.2.6');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await api.post('/api/v1/auth/login', { email: owner.email, password: `wrong ${i} wrong` }, from('192.0.2.6', { 'x-syntra-device': proof }))).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
