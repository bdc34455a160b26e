import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPkce, signInWithBrowser } from './oauth-loopback.js';

// A stand-in control plane: /start remembers the challenge and "the browser" comes back to the
// loopback redirect with a one-time code; /exchange checks the verifier like the real backend.
let challenges = new Map<string, string>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/api/v1/auth/oauth/exchange') {
        const { code, code_verifier } = JSON.parse(body) as { code: string; code_verifier: string };
        const expected = challenges.get(code);
        const ok = expected && createHash('sha256').update(code_verifier).digest('base64url') === expected;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { success: true, data: { token: 'syn_s_session', user: { email: 'a@b.c', name: 'A' } } } : { success: false, error: { message: 'code_verifier does not match' } }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('desktop OAuth with a loopback redirect and PKCE', () => {
  it('makes an S256 challenge of a 43-character verifier', () => {
    const { verifier, challenge } = createPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('opens the system browser at the start URL and trades the returned code for a session', async () => {
    challenges = new Map();
    let opened = '';
    const session = await signInWithBrowser({
      baseUrl: base,
      provider: 'github',
      openExternal: async (url) => {
        opened = url;
        const u = new URL(url);
        challenges.set('one-time-code-123', u.searchParams.get('code_challenge')!);
        const redirect = new URL(u.searchParams.get('redirect_uri')!);
        redirect.searchParams.set('code', 'one-time-code-123');
        redirect.searchParams.set('provider', 'github');
        const page = await fetch(redirect);
        expect(await page.text()).toContain('Signed in');
      },
    });
    expect(session.token).toBe('syn_s_session');
    const start = new URL(opened);
    expect(start.pathname).toBe('/api/v1/auth/oauth/github/start');
    expect(start.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  });

  it('fails clearly when the provider returns an error', async () => {
    await expect(
      signInWithBrowser({
        baseUrl: base,
        provider: 'github',
        openExternal: async (url) => {
          const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
          redirect.searchParams.set('error', 'access_denied');
          await fetch(redirect);
        },
      }),
    ).rejects.toThrow('access_denied');
  });

  it('times out when the browser never comes back', async () => {
    await expect(signInWithBrowser({ baseUrl: base, provider: 'github', openExternal: async () => undefined, timeoutMs: 200 })).rejects.toThrow(/timed out/);
  });
});
