import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, apiClient, registerAccount, uniqueEmail, type ApiClient } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

let env: TestEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
});
afterAll(() => env.close());

describe('organisations', () => {
  it('creates organisations with unique slugs and lists them with the caller role', async () => {
    const ann = await registerAccount(api, 'ann');
    const a = await api.post('/api/v1/orgs', { name: 'Acme Ops' }, { token: ann.token });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({ name: 'Acme Ops', slug: 'acme-ops', role: 'owner' });
    const b = await api.post('/api/v1/orgs', { name: 'Acme Ops' }, { token: ann.token });
    expect(b.body.data.slug).toMatch(/^acme-ops-[0-9a-f]{6}$/);
    const taken = await api.post('/api/v1/orgs', { name: 'X', slug: 'acme-ops' }, { token: ann.token });
    expect(taken.status).toBe(409);

    const list = await api.get('/api/v1/orgs', { token: ann.token });
    expect(list.body.data.map((o: { role: string }) => o.role)).toEqual(['owner', 'owner', 'owner']);
  });

  it('updates name and settings, and records it in the audit log', async () => {
    const ann = await registerAccount(api, 'settings');
    const res = await api.patch(`/api/v1/orgs/${ann.orgId}`, { name: 'Renamed', settings: { terminal_admins_only: true } }, { token: ann.token });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Renamed', settings: { terminal_admins_only: true } });
    const audit = await api.get(`/api/v1/orgs/${ann.orgId}/audit?action=org.updated`, { token: ann.token });
    expect(audit.body.data.items).toHaveLength(1);
    expect(audit.body.data.items[0].metadata.fields).toEqual(['name', 'settings']);
  });

  it('resolves X-Org-Id for collection routes, and another org is invisible', async () => {
    const ann = await registerAccount(api, 'hdr');
    const bob = await registerAccount(api, 'hdr-bob');
    expect((await api.get(`/api/v1/orgs/${bob.orgId}`, { token: ann.token })).status).toBe(404);
    expect((await api.get(`/api/v1/orgs/${bob.orgId}/members`, { token: ann.token })).body.error.code).toBe('NOT_FOUND');
  });
});

describe('members and invites', () => {
  it('invite → preview → accept by the invited address only; the member appears with the invited role', async () => {
    const owner = await registerAccount(api, 'inviter');
    const dev = await registerAccount(api, 'dev');
    const stranger = await registerAccount(api, 'stranger');
    const invite = await api.post(`/api/v1/orgs/${owner.orgId}/invites`, { email: dev.email.toUpperCase(), role: 'developer' }, { token: owner.token });
    expect(invite.status).toBe(201);
    expect(invite.body.data.accept_url).toBe(`${env.url}/invite/${invite.body.data.token}`);

    const preview = await api.get(`/api/v1/invites/${invite.body.data.token}`);
    expect(preview.body.data).toMatchObject({ email: dev.email, role: 'developer' });

    const wrong = await api.post(`/api/v1/invites/${invite.body.data.token}/accept`, undefined, { token: stranger.token });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain(dev.email);

    const ok = await api.post(`/api/v1/invites/${invite.body.data.token}/accept`, undefined, { token: dev.token });
    expect(ok.body.data.org).toMatchObject({ id: owner.orgId, role: 'developer' });
    const again = await api.post(`/api/v1/invites/${invite.body.data.token}/accept`, undefined, { token: dev.token });
    expect(again.status).toBe(404); // used up

    const members = await api.get(`/api/v1/orgs/${owner.orgId}/members`, { token: dev.token });
    expect(members.body.data.map((m: { user: { email: string }; role: string }) => [m.user.email, m.role])).toEqual([
      [owner.email, 'owner'],
      [dev.email, 'developer'],
    ]);
    const me = await api.get('/api/v1/auth/me', { token: dev.token });
    expect(me.body.data.orgs.map((o: { id: string }) => o.id)).toContain(owner.orgId);
  });

  it('an admin cannot create owners; a revoked invite cannot be used', async () => {
    const owner = await registerAccount(api, 'o');
    const admin = await registerAccount(api, 'a');
    await addMember(api, owner, admin, 'admin');
    const up = await api.post(`/api/v1/orgs/${owner.orgId}/invites`, { email: uniqueEmail('x'), role: 'owner' }, { token: admin.token });
    expect(up.status).toBe(403);
    const invite = await api.post(`/api/v1/orgs/${owner.orgId}/invites`, { email: uniqueEmail('y'), role: 'viewer' }, { token: admin.token });
    expect((await api.get(`/api/v1/orgs/${owner.orgId}/invites`, { token: admin.token })).body.data).toHaveLength(1);
    expect((await api.delete(`/api/v1/orgs/${owner.orgId}/invites/${invite.body.data.id}`, { token: admin.token })).status).toBe(200);
    expect((await api.get(`/api/v1/invites/${invite.body.data.token}`)).status).toBe(404);
  });

  it('the last owner cannot be demoted or leave; with a second owner they can', async () => {
    const owner = await registerAccount(api, 'last');
    const other = await registerAccount(api, 'second');
    await addMember(api, owner, other, 'admin');
    const demote = await api.patch(`/api/v1/orgs/${owner.orgId}/members/${owner.userId}`, { role: 'admin' }, { token: owner.token });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toContain('last owner');
    const leave = await api.delete(`/api/v1/orgs/${owner.orgId}/members/${owner.userId}`, { token: owner.token });
    expect(leave.status).toBe(409);

    // An admin cannot touch an owner.
    expect((await api.patch(`/api/v1/orgs/${owner.orgId}/members/${owner.userId}`, { role: 'viewer' }, { token: other.token })).status).toBe(403);

    expect((await api.patch(`/api/v1/orgs/${owner.orgId}/members/${other.userId}`, { role: 'owner' }, { token: owner.token })).status).toBe(200);
    expect((await api.delete(`/api/v1/orgs/${owner.orgId}/members/${owner.userId}`, { token: owner.token })).status).toBe(200);
    expect((await api.get(`/api/v1/orgs/${owner.orgId}`, { token: owner.token })).status).toBe(404);
    const audit = await api.get(`/api/v1/orgs/${owner.orgId}/audit`, { token: other.token });
    expect(audit.body.data.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['member.left', 'member.role_changed', 'invite.accepted']));
  });

  it('any member may leave; a viewer cannot remove someone else', async () => {
    const owner = await registerAccount(api, 'lo');
    const viewer = await registerAccount(api, 'lv');
    const dev = await registerAccount(api, 'ld');
    await addMember(api, owner, viewer, 'viewer');
    await addMember(api, owner, dev, 'developer');
    expect((await api.delete(`/api/v1/orgs/${owner.orgId}/members/${dev.userId}`, { token: viewer.token })).status).toBe(403);
    expect((await api.delete(`/api/v1/orgs/${owner.orgId}/members/${viewer.userId}`, { token: viewer.token })).status).toBe(200);
  });
});

describe('audit log pagination', () => {
  it('pages newest first with a cursor and no duplicates', async () => {
    const owner = await registerAccount(api, 'pager');
    for (let i = 0; i < 7; i += 1) await api.patch(`/api/v1/orgs/${owner.orgId}`, { name: `Name ${i}` }, { token: owner.token });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: any } = await api.get(`/api/v1/orgs/${owner.orgId}/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: owner.token });
      seen.push(...res.body.data.items.map((e: { id: string }) => e.id));
      cursor = res.body.data.next_cursor;
    } while (cursor);
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.length).toBeGreaterThanOrEqual(8); // 7 updates + registration
    const bad = await api.get(`/api/v1/orgs/${owner.orgId}/audit?cursor=garbage`, { token: owner.token });
    expect(bad.status).toBe(400);
  });
});
