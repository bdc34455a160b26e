import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, uniqueEmail, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

// Secrets in URLs (invite tokens, OAuth code/state) must never reach a log line.
let env: TestEnv;
let api: ApiClient;
const lines: string[] = [];

beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  env = await startTestEnv({ LOG_LEVEL: 'debug', GITHUB_CLIENT_ID: 'client-123', GITHUB_CLIENT_SECRET: 'secret-456' }, { logDestination: capture });
  api = apiClient(env.url);
});
afterAll(() => env.close());

const requestLines = () => lines.map((l) => JSON.parse(l) as { msg: string; path?: string; query?: string });

describe('no secrets in logs', () => {
  it('invite tokens in API and console paths are redacted; the lines still say which route was called', async () => {
    const owner = await registerAccount(api, 'logs');
    const email = uniqueEmail('logs-invitee');
    const invite = await api.post(`/api/v1/orgs/${owner.orgId}/invites`, { email, role: 'viewer' }, { token: owner.token });
    const token: string = invite.body.data.token;
    const invitee = await registerAccount(api, 'logs-other');

    expect((await api.get(`/api/v1/invites/${token}`)).status).toBe(200);
    await api.post(`/api/v1/invites/${encodeURIComponent(token)}/accept`, undefined, { token: invitee.token });
    await api.get(`/invite/${token}`);
    await api.post('/api/v1/auth/register', { email, password: 'correct horse battery', name: 'Invitee', invite_token: token });
    await api.get(`/api/v1/invites/not-a-token-${token.slice(8, 20)}`);

    const all = lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.slice(8));
    expect(all).not.toContain(owner.token);
    const paths = requestLines().filter((l) => l.msg === 'request').map((l) => l.path);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/invites/[redacted]', '/api/v1/invites/[redacted]/accept', '/invite/[redacted]', '/api/v1/auth/register']));
    // Other ids stay readable for the operator.
    expect(paths).toContain(`/api/v1/orgs/${owner.orgId}/invites`);
  });

  it("OAuth's code and state query values are redacted", async () => {
    const code = 'oauth-code-7f3a9c1e2b';
    const state = 'oauth-state-4d5e6f7a8b';
    await api.get(`/api/v1/auth/oauth/github/callback?code=${code}&state=${state}`);
    await api.get(`/auth/callback?code=syn_oh_${code}&provider=github`);
    const all = lines.join('\n');
    expect(all).not.toContain(code);
    expect(all).not.toContain(state);
    const callback = requestLines().find((l) => l.path === '/api/v1/auth/oauth/github/callback');
    expect(callback?.query).toBe('code=[redacted]&state=[redacted]');
    expect(requestLines().find((l) => l.path === '/auth/callback')?.query).toBe('code=[redacted]&provider=github');
  });
});
