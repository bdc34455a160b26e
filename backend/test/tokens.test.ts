import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/crypto.js';
import { apiClient, registerAccount, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

let env: TestEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
});
afterAll(() => env.close());

describe('API tokens', () => {
  it('are shown once, stored hashed, listed by prefix, and work as bearer tokens', async () => {
    const me = await registerAccount(api, 'tok');
    const created = await api.post('/api/v1/tokens', { name: 'CI', scopes: ['read', 'deploy'], expires_in_days: 30 }, { token: me.token });
    expect(created.status).toBe(201);
    const secret: string = created.body.data.token;
    expect(secret).toMatch(/^syn_pat_/);
    expect(secret.startsWith(created.body.data.prefix)).toBe(true);
    expect(created.body.data.expires_at).toBeTruthy();

    const row = await env.db('api_tokens').where({ id: created.body.data.id }).first();
    expect(row!.token_hash).toBe(sha256Hex(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    const list = await api.get('/api/v1/tokens', { token: me.token });
    expect(list.body.data).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.data[0].last_used_at).toBeNull();

    const asToken = await api.get('/api/v1/auth/me', { token: secret });
    expect(asToken.status).toBe(200);
    expect(asToken.body.data.user.id).toBe(me.userId);
    const after = await api.get('/api/v1/tokens', { token: me.token });
    expect(after.body.data[0].last_used_at).not.toBeNull();
  });

  it('an API token cannot mint tokens without the admin scope; revoked and expired tokens stop working', async () => {
    const me = await registerAccount(api, 'rev');
    const ro = (await api.post('/api/v1/tokens', { name: 'ro', scopes: ['read'] }, { token: me.token })).body.data;
    const mint = await api.post('/api/v1/tokens', { name: 'x', scopes: ['admin'] }, { token: ro.token });
    expect(mint.status).toBe(403);
    expect((await api.post('/api/v1/auth/logout', undefined, { token: ro.token })).status).toBe(400);

    expect((await api.delete(`/api/v1/tokens/${ro.id}`, { token: me.token })).status).toBe(200);
    expect((await api.get('/api/v1/auth/me', { token: ro.token })).status).toBe(401);

    const exp = (await api.post('/api/v1/tokens', { name: 'exp', scopes: ['read'], expires_in_days: 1 }, { token: me.token })).body.data;
    await env.db('api_tokens').where({ id: exp.id }).update({ expires_at: new Date(Date.now() - 1000) });
    expect((await api.get('/api/v1/auth/me', { token: exp.token })).status).toBe(401);

    const audit = await api.get(`/api/v1/orgs/${me.orgId}/audit`, { token: me.token });
    expect(audit.body.data.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['token.created', 'token.revoked']));
  });

  it("another user's token cannot be revoked (404)", async () => {
    const a = await registerAccount(api, 'a');
    const b = await registerAccount(api, 'b');
    const t = (await api.post('/api/v1/tokens', { name: 't', scopes: ['read'] }, { token: a.token })).body.data;
    expect((await api.delete(`/api/v1/tokens/${t.id}`, { token: b.token })).status).toBe(404);
    expect((await api.get('/api/v1/auth/me', { token: t.token })).status).toBe(200);
  });

  it('binding a token to an organisation you are not in is a 404', async () => {
    const a = await registerAccount(api, 'c');
    const b = await registerAccount(api, 'd');
    const res = await api.post('/api/v1/tokens', { name: 't', scopes: ['read'], org_id: b.orgId }, { token: a.token });
    expect(res.status).toBe(404);
  });
});

describe('a token cannot mint a token with more than itself', () => {
  async function mint(by: string, body: Record<string, unknown>) {
    return api.post('/api/v1/tokens', { name: 'child', scopes: ['read'], ...body }, { token: by });
  }

  it('binds to the minting token\'s organisation, and refuses another (403 naming it)', async () => {
    const me = await registerAccount(api, 'mint-org');
    const other = (await api.post('/api/v1/orgs', { name: 'Other' }, { token: me.token })).body.data;
    const bound = (await mint(me.token, { scopes: ['admin'], org_id: me.orgId })).body.data;

    const child = await mint(bound.token, {});
    expect(child.status).toBe(201);
    expect(child.body.data.org_id).toBe(me.orgId);
    const elsewhere = await mint(bound.token, { org_id: other.id });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.message).toContain('bound to organisation');
    expect((await mint(bound.token, { org_id: me.orgId })).status).toBe(201);

    // An unbound token may bind to any organisation its user belongs to.
    const unbound = (await mint(me.token, { scopes: ['admin'] })).body.data;
    const narrowed = await mint(unbound.token, { org_id: other.id });
    expect(narrowed.status).toBe(201);
    expect(narrowed.body.data.org_id).toBe(other.id);
  });

  it('expires no later than the minting token, inheriting its expiry when none is asked', async () => {
    const me = await registerAccount(api, 'mint-exp');
    const parent = (await mint(me.token, { scopes: ['admin'], expires_in_days: 7 })).body.data;

    const inherited = await mint(parent.token, {});
    expect(inherited.status).toBe(201);
    expect(inherited.body.data.expires_at).toBe(parent.expires_at);
    const sooner = await mint(parent.token, { expires_in_days: 3 });
    expect(sooner.status).toBe(201);
    expect(Date.parse(sooner.body.data.expires_at)).toBeLessThan(Date.parse(parent.expires_at));
    const later = await mint(parent.token, { expires_in_days: 30 });
    expect(later.status).toBe(403);
    expect(later.body.error.message).toContain('cannot expire later');

    // A session has full power: no ceiling.
    expect((await mint(me.token, { expires_in_days: 3650 })).status).toBe(201);
    expect((await mint(me.token, {})).body.data.expires_at).toBeNull();
  });

  it('carries no scope the minting token lacks (checked in the service, below the route\'s admin scope)', async () => {
    const me = await registerAccount(api, 'mint-scope');
    const write = (await mint(me.token, { scopes: ['write'] })).body.data;
    const caller = { kind: 'api_token' as const, scopes: ['write' as const], tokenOrgId: null, credentialId: write.id };
    const actor = { userId: me.userId, ip: null, userAgent: null };
    // The route asks for `admin` to mint at all; the service holds the subset rule on its own.
    await expect(env.deps.services.tokens.create(actor, caller, { name: 'x', scopes: ['read', 'write'] })).resolves.toMatchObject({ scopes: ['read', 'write'] });
    await expect(env.deps.services.tokens.create(actor, caller, { name: 'x', scopes: ['deploy', 'admin'] })).rejects.toThrow(/scopes it lacks: "deploy", "admin"/);
    expect((await mint(write.token, {})).status).toBe(403);
  });

  it('an org-bound token lists and revokes only the tokens bound to its organisation', async () => {
    const me = await registerAccount(api, 'mint-list');
    const other = (await api.post('/api/v1/orgs', { name: 'Other' }, { token: me.token })).body.data;
    const here = (await mint(me.token, { scopes: ['admin'], org_id: me.orgId })).body.data;
    const there = (await mint(me.token, { org_id: other.id })).body.data;
    const unbound = (await mint(me.token, {})).body.data;

    const listed = await api.get('/api/v1/tokens', { token: here.token });
    expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([here.id]);
    expect((await api.delete(`/api/v1/tokens/${there.id}`, { token: here.token })).status).toBe(404);
    expect((await api.delete(`/api/v1/tokens/${unbound.id}`, { token: here.token })).status).toBe(404);
    expect((await api.get('/api/v1/auth/me', { token: there.token })).status).toBe(200);
    expect((await api.get('/api/v1/tokens', { token: me.token })).body.data).toHaveLength(3);
  });

  it('tokens minted by a token are revoked with it, however deep', async () => {
    const me = await registerAccount(api, 'mint-cascade');
    const parent = (await mint(me.token, { scopes: ['admin'] })).body.data;
    const child = (await mint(parent.token, { scopes: ['admin'] })).body.data;
    const grandchild = (await mint(child.token, {})).body.data;
    const sibling = (await mint(me.token, {})).body.data;
    expect((await api.get('/api/v1/auth/me', { token: grandchild.token })).status).toBe(200);

    expect((await api.delete(`/api/v1/tokens/${parent.id}`, { token: me.token })).status).toBe(200);
    for (const t of [parent, child, grandchild]) expect((await api.get('/api/v1/auth/me', { token: t.token })).status, t.name).toBe(401);
    expect((await api.get('/api/v1/auth/me', { token: sibling.token })).status).toBe(200);
    const audit = await api.get(`/api/v1/orgs/${me.orgId}/audit`, { token: me.token });
    expect(audit.body.data.items.find((e: { action: string; target_id: string }) => e.action === 'token.revoked')?.metadata).toMatchObject({ minted_revoked: 2 });
  });
});
