import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiClient, registerAccount, uniqueEmail, type ApiClient } from './support/api-client.js';
import { collect, type RealtimeEnv, startRealtimeEnv, waitFor } from './support/agent-env.js';

// The web console's session: HttpOnly cookie, CSRF on unsafe requests, Origin on the stream socket.
let env: RealtimeEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
});
afterAll(() => env.close());

interface BrowserSession {
  cookie: string;
  csrf: string;
  setCookies: string[];
}

function cookiesOf(res: { headers: Headers }): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return jar;
}

async function browserSignIn(): Promise<BrowserSession & { email: string; body: any }> {
  const email = uniqueEmail('browser');
  const res = await api.post('/api/v1/auth/register', { email, password: 'correct horse battery', name: 'Browser' }, { headers: { 'x-syntra-session': 'cookie' } });
  expect(res.status).toBe(201);
  const jar = cookiesOf(res);
  return { email, body: res.body, cookie: `syntra_session=${jar.get('syntra_session')}`, csrf: jar.get('syntra_csrf')!, setCookies: res.headers.getSetCookie() };
}

describe('browser session cookie', () => {
  it('register with X-Syntra-Session: cookie sets an HttpOnly SameSite session cookie and leaves the token out of the body', async () => {
    const s = await browserSignIn();
    expect(s.body.data.token).toBeNull();
    const session = s.setCookies.find((c) => c.startsWith('syntra_session='))!;
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=lax/i);
    expect(session).toMatch(/path=\//i);
    const csrf = s.setCookies.find((c) => c.startsWith('syntra_csrf='))!;
    expect(csrf).not.toMatch(/httponly/i);
    expect(csrf).toMatch(/samesite=strict/i);
    // The cookie authenticates reads without any header.
    const me = await api.get('/api/v1/auth/me', { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
    expect(me.body.data.user.email).toBe(s.email);
  });

  it('login and API clients without the header still get a bearer token, as before', async () => {
    const account = await registerAccount(api, 'bearer');
    const res = await api.post('/api/v1/auth/login', { email: account.email, password: 'correct horse battery' });
    expect(res.body.data.token).toMatch(/^syn_s_/);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('syntra_session='))).toBe(false);
  });

  it('a cookie-authenticated unsafe request needs the CSRF token and a same-origin Origin', async () => {
    const s = await browserSignIn();
    const body = { name: 'Cookie org' };
    const noToken = await api.post('/api/v1/orgs', body, { headers: { cookie: s.cookie } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.message).toMatch(/CSRF/);
    const wrongToken = await api.post('/api/v1/orgs', body, { headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrongToken.status).toBe(403);
    const otherSite = await api.post('/api/v1/orgs', body, { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: 'https://evil.example' } });
    expect(otherSite.status).toBe(403);
    expect(otherSite.body.error.message).toMatch(/evil\.example/);
    const ok = await api.post('/api/v1/orgs', body, { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: env.url } });
    expect(ok.status).toBe(201);
    // Another session's CSRF token does not fit this session.
    const other = await browserSignIn();
    const mixed = await api.post('/api/v1/orgs', body, { headers: { cookie: s.cookie, 'x-csrf-token': other.csrf } });
    expect(mixed.status).toBe(403);
  });

  it('bearer requests need no CSRF token', async () => {
    const account = await registerAccount(api, 'bearer-write');
    const res = await api.post('/api/v1/orgs', { name: 'Bearer org' }, { token: account.token, headers: { origin: 'https://elsewhere.example' } });
    expect(res.status).toBe(201);
  });

  it('logout revokes the cookie session and clears the cookies', async () => {
    const s = await browserSignIn();
    const out = await api.post('/api/v1/auth/logout', undefined, { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.status).toBe(200);
    const cleared = cookiesOf(out);
    expect(cleared.get('syntra_session')).toBe('');
    expect(cleared.get('syntra_csrf')).toBe('');
    expect((await api.get('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status).toBe(401);
  });
});

describe('console stream with the session cookie', () => {
  const wsUrl = () => `${env.url.replace('http', 'ws')}/api/v1/stream`;
  const statusOf = (ws: WebSocket) =>
    new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
    });

  it('opens from the console origin, and is refused from another origin or without one', async () => {
    const s = await browserSignIn();
    const foreign = new WebSocket(wsUrl(), { headers: { cookie: s.cookie, origin: 'https://evil.example' } });
    expect(await statusOf(foreign)).toBe(403);
    const none = new WebSocket(wsUrl(), { headers: { cookie: s.cookie } });
    expect(await statusOf(none)).toBe(403);

    const ws = new WebSocket(wsUrl(), { headers: { cookie: s.cookie, origin: env.url } });
    const messages = collect(ws);
    expect(await statusOf(ws)).toBe(101);
    ws.send(JSON.stringify({ type: 'subscribe', org_id: s.body.data.org.id }));
    await waitFor('subscribed', () => messages.find((m) => m.type === 'subscribed'));
    ws.close();
  });
});
