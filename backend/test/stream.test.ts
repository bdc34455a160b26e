import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STREAM_BEARER_PROTOCOL_PREFIX } from '@syntra/shared';
import { type Account, type ApiClient, addMember, apiClient, registerAccount } from './support/api-client.js';
import { collect, type RealtimeEnv, startRealtimeEnv, waitFor } from './support/agent-env.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'stream');
});
afterAll(() => env.close());

const wsUrl = () => `${env.url.replace('http', 'ws')}/api/v1/stream`;

async function open(token: string, viaProtocol = false) {
  const ws = viaProtocol ? new WebSocket(wsUrl(), [`${STREAM_BEARER_PROTOCOL_PREFIX}${token}`]) : new WebSocket(wsUrl(), { headers: { authorization: `Bearer ${token}` } });
  const messages = collect(ws);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, messages };
}

describe('console stream', () => {
  it('refuses a connection without a valid bearer (401 before the upgrade)', async () => {
    for (const headers of [{}, { authorization: 'Bearer syn_s_nope' }]) {
      const ws = new WebSocket(wsUrl(), { headers });
      const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(401);
    }
  });

  it("delivers an organisation's server events to its members only; another organisation is not found", async () => {
    const viewer = await registerAccount(api, 'stream-viewer');
    await addMember(api, owner, viewer, 'viewer');
    const stranger = await registerAccount(api, 'stream-stranger');

    const member = await open(viewer.token, true);
    member.ws.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    await waitFor('subscribed', () => member.messages.find((m) => m.type === 'subscribed'));
    const outsider = await open(stranger.token);
    outsider.ws.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    const refused = await waitFor('refusal', () => outsider.messages.find((m) => m.type === 'error'));
    expect(refused).toMatchObject({ code: 'NOT_FOUND', org_id: owner.orgId });
    outsider.ws.send(JSON.stringify({ type: 'subscribe', org_id: stranger.orgId }));
    await waitFor('own org', () => outsider.messages.find((m) => m.type === 'subscribed'));

    const { server } = (await api.post('/api/v1/servers', { name: 'streamed' }, { token: owner.token, orgId: owner.orgId })).body.data;
    await env.deps.services.agentHub.status.markOnline(server.id, 'test');
    const event = await waitFor('server.status', () => member.messages.find((m) => m.type === 'server.status'));
    expect(event).toMatchObject({ org_id: owner.orgId, data: { server_id: server.id, name: 'streamed', status: 'online', previous_status: 'offline' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(outsider.messages.filter((m) => m.type === 'server.status')).toEqual([]);

    member.ws.send('not json');
    member.ws.send(JSON.stringify({ type: 'ping' }));
    await waitFor('pong', () => member.messages.find((m) => m.type === 'pong'));
    expect(member.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'VALIDATION_ERROR' });
    member.ws.close();
    outsider.ws.close();
  });

  it('a socket keeps to its credential: a revoked token is closed, a removed member stops receiving the organisation', async () => {
    const token = (await api.post('/api/v1/tokens', { name: 'stream', scopes: ['read'] }, { token: owner.token })).body.data;
    const byToken = await open(token.token);
    const closed = new Promise<number>((resolve) => byToken.ws.once('close', (code) => resolve(code)));
    byToken.ws.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    await waitFor('subscribed', () => byToken.messages.find((m) => m.type === 'subscribed'));

    const leaver = await registerAccount(api, 'stream-leaver');
    await addMember(api, owner, leaver, 'viewer');
    const member = await open(leaver.token);
    member.ws.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    await waitFor('subscribed', () => member.messages.find((m) => m.type === 'subscribed'));

    expect((await api.delete(`/api/v1/tokens/${token.id}`, { token: owner.token })).status).toBe(200);
    expect((await api.delete(`/api/v1/orgs/${owner.orgId}/members/${leaver.userId}`, { token: owner.token })).status).toBe(200);
    await env.deps.services.stream.recheck(); // what every ping round does

    expect(await closed).toBe(1008);
    const dropped = await waitFor('dropped', () => member.messages.find((m) => m.type === 'error'));
    expect(dropped).toMatchObject({ code: 'NOT_FOUND', org_id: owner.orgId });
    // The owner still receives the organisation: once the owner has the event, the leaver would have too.
    const still = await open(owner.token);
    still.ws.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    await waitFor('subscribed', () => still.messages.find((m) => m.type === 'subscribed'));
    const { server } = (await api.post('/api/v1/servers', { name: 'after-leaving' }, { token: owner.token, orgId: owner.orgId })).body.data;
    await env.deps.services.agentHub.status.markOnline(server.id, 'test');
    await waitFor('owner event', () => still.messages.find((m) => m.type === 'server.status' && m.data.server_id === server.id));
    expect(member.messages.filter((m) => m.type === 'server.status' && m.data.server_id === server.id)).toEqual([]);
    member.ws.close();
    still.ws.close();
  });
});
