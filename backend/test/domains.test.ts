import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type ApiClient, apiClient, registerAccount } from './support/api-client.js';
import { startDnsStandIn } from './support/dns-stand-in.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

let env: TestEnv;
let api: ApiClient;
let dns: Awaited<ReturnType<typeof startDnsStandIn>>;
const txt = new Map<string, string[]>();
let a: Account;
let b: Account;

beforeAll(async () => {
  dns = await startDnsStandIn(txt);
  env = await startTestEnv({ SYNTRA_DNS_SERVERS: dns.server });
  api = apiClient(env.url);
  a = await registerAccount(api, 'dom-a');
  b = await registerAccount(api, 'dom-b');
});
afterAll(async () => {
  await env.close();
  await dns.close();
});

/** A new service in `who`'s organisation with these domains; answers the API's response. */
async function serviceWith(who: Account, domains: string[]) {
  const [server] = await env.db('servers').insert({ org_id: who.orgId, name: `srv-${Math.random()}`, agent_token_hash: crypto.randomUUID().replace(/-/g, '').padEnd(64, '0') }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P ${Math.random()}` }, { token: who.token, orgId: who.orgId });
  return api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: server!.id, domains }, { token: who.token });
}

async function claimOf(who: Account, hostname: string) {
  const list = await api.get('/api/v1/domains', { token: who.token, orgId: who.orgId });
  return list.body.data.find((c: { hostname: string }) => c.hostname === hostname);
}

describe('domains are claimed per organisation', () => {
  it('the first organisation to use a hostname keeps it, even after its service lets it go, until it releases the claim', async () => {
    const first = await serviceWith(a, ['app.claims.test']);
    expect(first.status).toBe(201);
    const claim = await claimOf(a, 'app.claims.test');
    expect(claim).toMatchObject({ status: 'pending', used_by: [{ service_id: first.body.data.id, name: 'web' }] });

    const taken = await serviceWith(b, ['app.claims.test']);
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain('claimed by another organisation');
    // Within the organisation the per-service rule still holds: one service per hostname.
    const twice = await serviceWith(a, ['app.claims.test']);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('another service');

    await api.patch(`/api/v1/services/${first.body.data.id}`, { domains: [] }, { token: a.token });
    expect((await serviceWith(b, ['app.claims.test'])).status).toBe(409);
    expect((await claimOf(a, 'app.claims.test')).used_by).toEqual([]);

    // Another organisation neither sees nor touches the claim.
    expect(await claimOf(b, 'app.claims.test')).toBeUndefined();
    expect((await api.delete(`/api/v1/domains/${claim.id}`, { token: b.token })).status).toBe(404);
    expect((await api.post(`/api/v1/domains/${claim.id}/verify`, undefined, { token: b.token })).status).toBe(404);

    expect((await api.delete(`/api/v1/domains/${claim.id}`, { token: a.token })).status).toBe(200);
    expect((await serviceWith(b, ['app.claims.test'])).status).toBe(201);
    expect(await claimOf(b, 'app.claims.test')).toMatchObject({ status: 'pending' });
  });

  it('refuses wildcard overlaps across organisations, either way round, and allows them within one', async () => {
    expect((await serviceWith(a, ['*.wild.test'])).status).toBe(201);
    for (const name of ['x.wild.test', 'deep.x.wild.test', '*.sub.wild.test', '*.wild.test']) {
      const res = await serviceWith(b, [name]);
      expect(res.status, name).toBe(409);
      expect(res.body.error.message, name).toContain('claimed by another organisation');
    }
    expect((await serviceWith(b, ['wild.test'])).status).toBe(201); // the apex is not under the wildcard

    expect((await serviceWith(b, ['api.tame.test'])).status).toBe(201);
    const over = await serviceWith(a, ['*.tame.test']);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('(as api.tame.test)');

    // One organisation's own wildcard and names below it live side by side.
    expect((await serviceWith(a, ['a.wild.test'])).status).toBe(201);
    expect((await serviceWith(a, ['*.inner.wild.test'])).status).toBe(201);
  });

  it('a claim in use cannot be released', async () => {
    await serviceWith(a, ['busy.claims.test']);
    const claim = await claimOf(a, 'busy.claims.test');
    const res = await api.delete(`/api/v1/domains/${claim.id}`, { token: a.token });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('web');
  });
});

describe('domain ownership is proved by a DNS TXT record', () => {
  it('stays pending until _syntra-challenge.<domain> holds the claim token, then is verified (and audited)', async () => {
    await serviceWith(a, ['shop.proof.test', '*.wildproof.test']);
    const claim = await claimOf(a, 'shop.proof.test');
    expect(claim.verification).toMatchObject({ record_type: 'TXT', record_name: '_syntra-challenge.shop.proof.test' });
    expect(claim.verification.record_value).toMatch(/^syntra-verification=[0-9a-f]{48}$/);
    const verify = () => api.post(`/api/v1/domains/${claim.id}/verify`, undefined, { token: a.token });

    const missing = await verify();
    expect(missing.status).toBe(200);
    expect(missing.body.data).toMatchObject({ status: 'pending', verified_at: null });
    expect(missing.body.data.last_error).toContain('No TXT record at _syntra-challenge.shop.proof.test');

    txt.set('_syntra-challenge.shop.proof.test', ['syntra-verification=someone-elses-token', 'v=spf1 -all']);
    expect((await verify()).body.data.last_error).toContain('another verification token');

    txt.set('_syntra-challenge.shop.proof.test', ['v=spf1 -all', claim.verification.record_value]);
    const verified = await verify();
    expect(verified.body.data).toMatchObject({ status: 'verified', last_error: null });
    expect(verified.body.data.verified_at).toBeTruthy();
    const audit = await api.get(`/api/v1/orgs/${a.orgId}/audit`, { token: a.token });
    expect(audit.body.data.items.map((e: { action: string }) => e.action)).toContain('domain.verified');

    // A wildcard is proved on its base domain.
    const wild = await claimOf(a, '*.wildproof.test');
    expect(wild.verification.record_name).toBe('_syntra-challenge.wildproof.test');
    txt.set('_syntra-challenge.wildproof.test', [wild.verification.record_value]);
    expect((await api.post(`/api/v1/domains/${wild.id}/verify`, undefined, { token: a.token })).body.data.status).toBe('verified');
  });

  it('a contender that proves ownership takes the name over from a holder that never did; a proved holder stays', async () => {
    const held = await serviceWith(a, ['shop.squat.test', 'keep.squat.test']);
    const contest = await api.post('/api/v1/domains', { hostname: 'shop.squat.test' }, { token: b.token, orgId: b.orgId });
    expect(contest.status).toBe(201);
    expect(contest.body.data.status).toBe('contending');
    expect((await serviceWith(b, ['shop.squat.test'])).status).toBe(409);
    const verify = (claimId: string) => api.post(`/api/v1/domains/${claimId}/verify`, undefined, { token: b.token });
    expect((await verify(contest.body.data.id)).body.data).toMatchObject({ status: 'contending', last_error: expect.stringContaining('No TXT record') });

    txt.set('_syntra-challenge.shop.squat.test', [contest.body.data.verification.record_value]);
    expect((await verify(contest.body.data.id)).body.data).toMatchObject({ status: 'verified', last_error: null });
    const after = await api.get(`/api/v1/services/${held.body.data.id}`, { token: a.token });
    expect(after.body.data.domains).toEqual(['keep.squat.test']);
    expect(await claimOf(a, 'shop.squat.test')).toBeUndefined();
    const audit = await api.get(`/api/v1/orgs/${a.orgId}/audit`, { token: a.token });
    expect(audit.body.data.items.find((e: { action: string }) => e.action === 'domain.taken_over')?.metadata).toMatchObject({ hostname: 'shop.squat.test' });
    expect((await serviceWith(b, ['shop.squat.test'])).status).toBe(201);

    // Proved first: nobody displaces it, even with a record of their own at the same name.
    const keep = await claimOf(a, 'keep.squat.test');
    txt.set('_syntra-challenge.keep.squat.test', [keep.verification.record_value]);
    expect((await api.post(`/api/v1/domains/${keep.id}/verify`, undefined, { token: a.token })).body.data.status).toBe('verified');
    const late = (await api.post('/api/v1/domains', { hostname: '*.squat.test' }, { token: b.token, orgId: b.orgId })).body.data;
    expect(late.status).toBe('contending');
    txt.set('_syntra-challenge.squat.test', [late.verification.record_value]);
    const refused = await verify(late.id);
    expect(refused.body.data).toMatchObject({ status: 'contending', last_error: 'keep.squat.test is held by another organisation that has proved its ownership' });
    expect((await api.get(`/api/v1/services/${held.body.data.id}`, { token: a.token })).body.data.domains).toEqual(['keep.squat.test']);
  });
});
