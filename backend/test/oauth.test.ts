import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, uniqueEmail, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

/**
 * A local stand-in for GitHub and Google that speaks their documented endpoints:
 * GitHub `POST /login/oauth/access_token` (form body, JSON answer with Accept: application/json),
 * `GET /user`, `GET /user/emails`; Google's token endpoint and OpenID userinfo. It enforces PKCE
 * (S256), the registered redirect URI and the client credentials, like the real providers.
 */
interface Grant {
  challenge: string;
  redirectUri: string;
  profile: Profile;
}
interface Profile {
  id: string;
  email: string;
  verified: boolean;
  name: string;
}

function startStandInProvider() {
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, Profile>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && (url.pathname === '/login/oauth/access_token' || url.pathname === '/google/token')) {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = Object.fromEntries(new URLSearchParams(raw));
      // Client authentication: HTTP Basic (RFC 6749 §2.3.1, what both providers accept) or form fields.
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (basic) {
        const [id, secret] = Buffer.from(basic, 'base64').toString().split(':');
        form.client_id = decodeURIComponent(id ?? '');
        form.client_secret = decodeURIComponent(secret ?? '');
      }
      const grant = grants.get(form.code ?? '');
      const verifierHash = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
      if (!grant || form.client_id !== 'client-123' || form.client_secret !== 'secret-456' || verifierHash !== grant.challenge || form.redirect_uri !== grant.redirectUri) {
        return json(400, { error: 'invalid_grant' });
      }
      grants.delete(form.code!);
      const access = randomBytes(12).toString('hex');
      accessTokens.set(access, grant.profile);
      return json(200, { access_token: access, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const profile = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!profile) return json(401, { message: 'Bad credentials' });
    if (url.pathname === '/api/user') return json(200, { id: Number(profile.id), login: profile.name, name: profile.name, avatar_url: null });
    if (url.pathname === '/api/user/emails') return json(200, [{ email: profile.email, primary: true, verified: profile.verified, visibility: 'private' }]);
    if (url.pathname === '/google/userinfo') return json(200, { sub: profile.id, email: profile.email, email_verified: profile.verified, name: profile.name });
    json(404, {});
  });
  return {
    server,
    /** What the provider does when the user clicks "Authorize": issue a code bound to the PKCE challenge. */
    authorize(authorizationUrl: string, profile: Profile) {
      const url = new URL(authorizationUrl);
      const code = randomBytes(8).toString('hex');
      grants.set(code, { challenge: url.searchParams.get('code_challenge')!, redirectUri: url.searchParams.get('redirect_uri')!, profile });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      return back.toString();
    },
  };
}

let env: TestEnv;
let api: ApiClient;
let provider: ReturnType<typeof startStandInProvider>;

let providerEnv: Record<string, string>;

beforeAll(async () => {
  provider = startStandInProvider();
  await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
  providerEnv = {
    GITHUB_CLIENT_ID: 'client-123',
    GITHUB_CLIENT_SECRET: 'secret-456',
    GITHUB_OAUTH_BASE_URL: base,
    GITHUB_API_BASE_URL: `${base}/api`,
    GOOGLE_CLIENT_ID: 'client-123',
    GOOGLE_CLIENT_SECRET: 'secret-456',
    GOOGLE_OAUTH_BASE_URL: base,
    GOOGLE_TOKEN_URL: `${base}/google/token`,
    GOOGLE_USERINFO_URL: `${base}/google/userinfo`,
  };
  env = await startTestEnv(providerEnv);
  api = apiClient(env.url);
});
afterAll(async () => {
  await env.close();
  provider.server.close();
});

/** Start → provider consent → callback → console exchange, as a browser and the console would do it. */
async function signIn(name: 'github' | 'google', profile: Profile, opts: { redirectUri?: string; pkce?: boolean; client?: ApiClient } = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams();
  if (opts.redirectUri) query.set('redirect_uri', opts.redirectUri);
  if (opts.pkce) query.set('code_challenge', challenge);
  const start = await (opts.client ?? api).get(`/api/v1/auth/oauth/${name}/start?${query}`);
  expect(start.status).toBe(302);
  const authorizationUrl = start.headers.get('location')!;
  const callback = await fetch(provider.authorize(authorizationUrl, profile), { redirect: 'manual' });
  return { authorizationUrl, callback, verifier };
}

function handoffCode(callback: Response) {
  return new URL(callback.headers.get('location')!).searchParams.get('code')!;
}

describe('OAuth sign-in against a local stand-in for GitHub and Google', () => {
  it('lists the configured providers', async () => {
    const res = await api.get('/api/v1/auth/providers');
    expect(res.body.data).toMatchObject({ password: true, oauth: ['github', 'google'] });
  });

  it('GitHub: PKCE + state, then a one-time code the console trades for a session; a new account gets an org', async () => {
    const email = uniqueEmail('gh');
    const { authorizationUrl, callback } = await signIn('github', { id: '101', email, verified: true, name: 'Octo' });
    const auth = new URL(authorizationUrl);
    expect(auth.pathname).toBe('/login/oauth/authorize');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('state')).toHaveLength(43);
    expect(auth.searchParams.get('redirect_uri')).toBe(`${env.url}/api/v1/auth/oauth/github/callback`);

    expect(callback.status).toBe(302);
    const landing = new URL(callback.headers.get('location')!);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${env.url}/auth/callback`);
    expect(landing.toString()).not.toContain('syn_s_'); // never a session token in a URL

    const session = await api.post('/api/v1/auth/oauth/exchange', { code: handoffCode(callback) });
    expect(session.status).toBe(200);
    const me = await api.get('/api/v1/auth/me', { token: session.body.data.token });
    expect(me.body.data.user).toMatchObject({ email, email_verified: true });
    expect(me.body.data.orgs).toHaveLength(1);

    // The hand-off code works once.
    expect((await api.post('/api/v1/auth/oauth/exchange', { code: handoffCode(callback) })).status).toBe(401);
  });

  it('a replayed or forged state is refused', async () => {
    const { callback } = await signIn('github', { id: '102', email: uniqueEmail('gh'), verified: true, name: 'A' });
    const original = new URL(callback.url);
    expect(callback.status).toBe(302);
    // Re-using the same callback URL (same state) fails: state is single-use.
    const replay = await fetch(original, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    const forged = await api.get('/api/v1/auth/oauth/github/callback?code=abc&state=forged-state');
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('links to an existing password account only through a provider-verified email', async () => {
    const existing = await registerAccount(api, 'linked');
    const unverified = await signIn('google', { id: 'g-1', email: existing.email, verified: false, name: 'X' });
    expect(unverified.callback.status).toBe(403);

    const verified = await signIn('google', { id: 'g-2', email: existing.email, verified: true, name: 'X' });
    const session = await api.post('/api/v1/auth/oauth/exchange', { code: handoffCode(verified.callback) });
    const me = await api.get('/api/v1/auth/me', { token: session.body.data.token });
    expect(me.body.data.user.id).toBe(existing.userId);
  });

  it('desktop loopback redirect with the console PKCE verifier (RFC 8252)', async () => {
    const { callback, verifier } = await signIn('github', { id: '103', email: uniqueEmail('desk'), verified: true, name: 'D' }, { redirectUri: 'http://127.0.0.1:53123/callback', pkce: true });
    const landing = new URL(callback.headers.get('location')!);
    expect(landing.host).toBe('127.0.0.1:53123');
    const code = landing.searchParams.get('code')!;
    expect((await api.post('/api/v1/auth/oauth/exchange', { code, code_verifier: 'w'.repeat(43) })).status).toBe(401);
    // A failed verifier burns the code, so a stolen code cannot be retried.
    expect((await api.post('/api/v1/auth/oauth/exchange', { code, code_verifier: verifier })).status).toBe(401);

    const again = await signIn('github', { id: '103', email: 'ignored@example.test', verified: true, name: 'D' }, { redirectUri: 'http://127.0.0.1:53123/callback', pkce: true });
    const ok = await api.post('/api/v1/auth/oauth/exchange', { code: handoffCode(again.callback), code_verifier: again.verifier });
    expect(ok.status).toBe(200);
  });

  it('refuses redirect URIs that are neither this console nor loopback', async () => {
    const res = await api.get(`/api/v1/auth/oauth/github/start?redirect_uri=${encodeURIComponent('https://evil.example/cb')}`);
    expect(res.status).toBe(400);
  });

  it('a provider without credentials is off and says how to turn it on', async () => {
    const bare = await startTestEnv();
    try {
      const client = apiClient(bare.url);
      expect((await client.get('/api/v1/auth/providers')).body.data.oauth).toEqual([]);
      const res = await client.get('/api/v1/auth/oauth/github/start');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('FEATURE_DISABLED');
      expect(res.body.error.message).toContain('GITHUB_CLIENT_ID');
    } finally {
      await bare.close();
    }
  });
});

describe('OAuth sign-up follows SYNTRA_SIGNUP', () => {
  it('invite mode: a new identity is refused unless an invite was sent to its verified email, which it then joins', async () => {
    const strict = await startTestEnv({ ...providerEnv, SYNTRA_SIGNUP: 'invite' });
    try {
      const client = apiClient(strict.url);
      const admin = await registerAccount(client, 'oauth-admin');
      const stranger = await signIn('github', { id: '9001', email: uniqueEmail('gh-stranger'), verified: true, name: 'S' }, { client });
      expect(stranger.callback.status).toBe(403);
      expect(((await stranger.callback.json()) as { error: { code: string } }).error.code).toBe('INVITE_REQUIRED');

      const email = uniqueEmail('gh-invited');
      const invite = await client.post(`/api/v1/orgs/${admin.orgId}/invites`, { email, role: 'developer' }, { token: admin.token });
      expect(invite.status).toBe(201);
      const invited = await signIn('github', { id: '9002', email, verified: true, name: 'I' }, { client });
      expect(invited.callback.status).toBe(302);
      const session = await client.post('/api/v1/auth/oauth/exchange', { code: handoffCode(invited.callback) });
      const me = await client.get('/api/v1/auth/me', { token: session.body.data.token });
      expect(me.body.data.orgs).toEqual([expect.objectContaining({ id: admin.orgId, role: 'developer' })]);
      expect((await client.get(`/api/v1/invites/${invite.body.data.token}`)).status).toBe(404);
    } finally {
      await strict.close();
    }
  });
});
