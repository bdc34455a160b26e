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
});
