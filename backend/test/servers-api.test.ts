import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/crypto.js';
import { type Account, type ApiClient, addMember, apiClient, registerAccount } from './support/api-client.js';
import { type RealtimeEnv, startRealtimeEnv } from './support/agent-env.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'srv-owner');
});
afterAll(() => env.close());

const create = (acc: Account, name: string) => api.post('/api/v1/servers', { name, tags: ['web'] }, { token: acc.token, orgId: acc.orgId });

describe('servers API', () => {
  it('registers a server: token shown once, stored only as its SHA-256, install command without the token in a URL', async () => {
    const res = await create(owner, 'web-1');
    expect(res.status).toBe(201);
    const { server, agent_token, install_command } = res.body.data;
    expect(server).toMatchObject({ name: 'web-1', status: 'offline', tags: ['web'], org_id: owner.orgId, usage: null });
    expect(agent_token).toMatch(/^syn_agent_/);
    const row = await env.db('servers').where({ id: server.id }).first();
    expect(row!.agent_token_hash).toBe(sha256Hex(agent_token));
    expect(JSON.stringify(row)).not.toContain(agent_token);
    expect(install_command).toBe(`curl -fsSL ${env.url}/install.sh | sudo sh -s -- --url ${env.url} --token ${agent_token}`);
    const again = await api.get(`/api/v1/servers/${server.id}`, { token: owner.token });
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.body)).not.toContain(agent_token);
  });

  it('lists servers newest first with cursor pagination and a status filter', async () => {
    const acc = await registerAccount(api, 'srv-list');
    for (const n of ['a', 'b', 'c']) await create(acc, n);
    const first = await api.get('/api/v1/servers?limit=2', { token: acc.token });
    expect(first.status).toBe(200);
    expect(first.body.data.items.map((s: { name: string }) => s.name)).toEqual(['c', 'b']);
    const second = await api.get(`/api/v1/servers?limit=2&cursor=${first.body.data.next_cursor}`, { token: acc.token });
    expect(second.body.data.items.map((s: { name: string }) => s.name)).toEqual(['a']);
    expect(second.body.data.next_cursor).toBeNull();
    const online = await api.get('/api/v1/servers?status=online', { token: acc.token });
    expect(online.body.data.items).toEqual([]);
  });

  it('renames, rotates the token and deletes', async () => {
    const { server, agent_token } = (await create(owner, 'old-name')).body.data;
    const renamed = await api.patch(`/api/v1/servers/${server.id}`, { name: 'new-name' }, { token: owner.token });
    expect(renamed.body.data.name).toBe('new-name');
    const rotated = await api.post(`/api/v1/servers/${server.id}/rotate-token`, undefined, { token: owner.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.agent_token).not.toBe(agent_token);
    const row = await env.db('servers').where({ id: server.id }).first();
    expect(row!.agent_token_hash).toBe(sha256Hex(rotated.body.data.agent_token));
    expect((await api.delete(`/api/v1/servers/${server.id}`, { token: owner.token })).status).toBe(200);
    expect((await api.get(`/api/v1/servers/${server.id}`, { token: owner.token })).status).toBe(404);
    const audit = await api.get(`/api/v1/orgs/${owner.orgId}/audit`, { token: owner.token });
    expect(audit.body.data.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['server.created', 'server.updated', 'server.token_rotated', 'server.deleted']));
  });

  it('a viewer sees servers but cannot create or delete them', async () => {
    const viewer = await registerAccount(api, 'srv-viewer');
    await addMember(api, owner, viewer, 'viewer');
    const { server } = (await create(owner, 'viewed')).body.data;
    expect((await api.get(`/api/v1/servers/${server.id}`, { token: viewer.token })).status).toBe(200);
    const denied = await api.post('/api/v1/servers', { name: 'nope' }, { token: viewer.token, orgId: owner.orgId });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    expect((await api.delete(`/api/v1/servers/${server.id}`, { token: viewer.token })).status).toBe(403);
    expect((await api.get(`/api/v1/servers/${server.id}`, { token: owner.token })).status).toBe(200);
  });

  it("another organisation's server is 404 on every route", async () => {
    const stranger = await registerAccount(api, 'srv-stranger');
    const { server } = (await create(owner, 'private')).body.data;
    for (const res of [
      await api.get(`/api/v1/servers/${server.id}`, { token: stranger.token }),
      await api.patch(`/api/v1/servers/${server.id}`, { name: 'x' }, { token: stranger.token }),
      await api.delete(`/api/v1/servers/${server.id}`, { token: stranger.token }),
      await api.post(`/api/v1/servers/${server.id}/rotate-token`, undefined, { token: stranger.token }),
      await api.get(`/api/v1/servers/${server.id}/metrics`, { token: stranger.token }),
      await api.post(`/api/v1/servers/${server.id}/commands`, { name: 'host.info' }, { token: stranger.token }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const list = await api.get('/api/v1/servers', { token: stranger.token });
    expect(list.body.data.items).toEqual([]);
  });

  it('serves metrics downsampled to the requested step', async () => {
    const { server } = (await create(owner, 'metrics')).body.data;
    const start = Date.parse('2026-11-20T10:00:00Z');
    // 60 samples, one every 10 s, cpu = 0..59
    await env.deps.services.serverMetrics.insert(
      Array.from({ length: 60 }, (_, i) => ({ orgId: owner.orgId, serverId: server.id, at: new Date(start + i * 10_000), cpuPercent: i, memoryUsedMb: 100, diskUsedGb: 5, load: [1, 1, 1] as [number, number, number] })),
    );
    const res = await api.get(`/api/v1/servers/${server.id}/metrics?from=2026-11-20T10:00:00Z&to=2026-11-20T10:10:00Z&step=60`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body.data.step_seconds).toBe(60);
    expect(res.body.data.points).toHaveLength(10);
    expect(res.body.data.points[0]).toMatchObject({ ts: '2026-11-20T10:00:00.000Z', cpu_percent: 2.5, memory_used_mb: 100 });
    const auto = await api.get(`/api/v1/servers/${server.id}/metrics?from=2026-11-20T10:00:00Z&to=2026-11-20T10:10:00Z`, { token: owner.token });
    expect(auto.body.data.points.length).toBeLessThanOrEqual(360);
    const bad = await api.get(`/api/v1/servers/${server.id}/metrics?from=2026-11-20T11:00:00Z&to=2026-11-20T10:00:00Z`, { token: owner.token });
    expect(bad.status).toBe(400);
    // Retention: samples before the cut are dropped.
    expect(await env.deps.services.serverMetrics.prune(new Date(start + 300_000))).toBeGreaterThanOrEqual(30);
    const kept = await api.get(`/api/v1/servers/${server.id}/metrics?from=2026-11-20T10:00:00Z&to=2026-11-20T10:10:00Z&step=60`, { token: owner.token });
    expect(kept.body.data.points.map((p: { ts: string }) => p.ts)[0]).toBe('2026-11-20T10:05:00.000Z');
  });

  it('keeps the history of status changes, newest first, paginated', async () => {
    const { server } = (await create(owner, 'history')).body.data;
    await env.deps.services.agentHub.status.markOnline(server.id, 'agent_connected');
    await env.deps.services.agentHub.status.markOffline(server.id, 'agent_shutdown');
    await env.deps.services.agentHub.status.markOnline(server.id, 'agent_connected');
    const page1 = await api.get(`/api/v1/servers/${server.id}/status-history?limit=2`, { token: owner.token });
    expect(page1.status).toBe(200);
    expect(page1.body.data.items.map((e: { status: string; reason: string }) => `${e.status}:${e.reason}`)).toEqual(['online:agent_connected', 'offline:agent_shutdown']);
    const page2 = await api.get(`/api/v1/servers/${server.id}/status-history?limit=2&cursor=${page1.body.data.next_cursor}`, { token: owner.token });
    expect(page2.body.data.items).toEqual([expect.objectContaining({ status: 'online', previous_status: 'offline' })]);
    expect(page2.body.data.next_cursor).toBeNull();
  });

  it('queues a command for an offline server and reports it pending', async () => {
    const { server } = (await create(owner, 'asleep')).body.data;
    const res = await api.post(`/api/v1/servers/${server.id}/commands`, { name: 'host.info', wait_ms: 5000 }, { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'host.info', status: 'pending', ok: null });
    const got = await api.get(`/api/v1/servers/${server.id}/commands/${res.body.data.id}`, { token: owner.token });
    expect(got.body.data.status).toBe('pending');
  });
});
