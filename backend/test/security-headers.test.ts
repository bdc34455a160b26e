import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

let env: TestEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await startTestEnv({ SYNTRA_TRUST_PROXY: 'true' });
  api = apiClient(env.url);
});
afterAll(() => env.close());

function expectSecurityHeaders(headers: Headers) {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
  expect(csp).not.toContain('upgrade-insecure-requests');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
}

describe('security headers', () => {
  it('are on API answers, errors included, and on the web console', async () => {
    for (const path of ['/api/v1/auth/providers', '/api/v1/auth/me', '/api/v1/nope', '/', '/servers/abc']) {
      const res = await api.get(path);
      expectSecurityHeaders(res.headers);
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('API answers are not stored by the browser (they may hold revealed secrets)', async () => {
    expect((await api.get('/api/v1/auth/providers')).headers.get('cache-control')).toBe('no-store');
    expect((await api.get('/api/v1/auth/me')).headers.get('cache-control')).toBe('no-store');
    expect((await api.get('/healthz')).headers.get('cache-control')).not.toBe('no-store');
  });

  it('HSTS only over TLS: a trusted proxy saying https gets it', async () => {
    const res = await api.get('/api/v1/auth/providers', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expectSecurityHeaders(res.headers);
  });

  it('HSTS and upgrade-insecure-requests always when PUBLIC_URL is https', async () => {
    const tls = await startTestEnv({ PUBLIC_URL: 'https://syntra.example.com' });
    try {
      const res = await apiClient(tls.url).get('/api/v1/auth/providers');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
      expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      expect(res.headers.get('content-security-policy')).toContain('wss://syntra.example.com');
    } finally {
      await tls.close();
    }
  });

  it('an untrusted X-Forwarded-Proto does not turn HSTS on', async () => {
    const direct = await startTestEnv();
    try {
      const res = await apiClient(direct.url).get('/api/v1/auth/providers', { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await direct.close();
    }
  });
});
