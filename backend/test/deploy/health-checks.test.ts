import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, type RealtimeEnv, tempDir } from '../support/agent-env.js';
import type { Account, ApiClient } from '../support/api-client.js';
import { type AgentRig, startAgentRig } from './agent-rig.js';
import { gitRemote } from './git-repo.js';
import { waitFor } from './support.js';

interface HealthResult {
  id: string;
  checked_at: string;
  healthy: boolean;
  status_code: number | null;
  response_time_ms: number;
  error: string | null;
}

let rig: AgentRig;
let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let serverId: string;

beforeAll(async () => {
  rig = await startAgentRig({ tag: 'health', workers: { deployTimeoutMs: 60_000 } });
  ({ env, api, owner } = rig);
  serverId = rig.server.id;
}, 60_000);
afterAll(() => rig?.close());

async function deploy(service: string) {
  const res = await api.post(`/api/v1/services/${service}/deploy`, {}, { token: owner.token });
  expect(res.status).toBe(201);
  return waitFor('deployment outcome', async () => {
    const d = await api.get(`/api/v1/deployments/${res.body.data.id}?tail=200`, { token: owner.token });
    return ['running', 'failed'].includes(d.body.data.status) && d.body.data;
  }, 90_000, 200);
}

const health = async (serviceId: string, query = '') => api.get(`/api/v1/services/${serviceId}/health${query}`, { token: owner.token });

describe('health-check results', () => {
  it('records the deploy gate and the periodic checks the agent runs, failures with their reason, paginated', async () => {
    const repo = gitRemote(tempDir('health-git'));
    repo.commitAndPush({ VERSION: 'v1\n' }, 'v1');
    const project = await api.post('/api/v1/projects', { name: 'Health', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const svc = await api.post(
      `/api/v1/projects/${project.body.data.id}/services`,
      { name: 'web', server_id: serverId, health_check: { path: '/health', interval_seconds: 1, timeout_seconds: 2, retries: 2 } },
      { token: owner.token },
    );
    const serviceId = svc.body.data.id as string;
    expect((await health(serviceId)).body.data).toEqual({ items: [], next_cursor: null });
    // A console on the stream hears of new results (so its list needs no polling).
    const stream = new WebSocket(`${env.url.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${owner.token}` } });
    const events = collect(stream);
    await new Promise((r) => stream.once('open', r));
    stream.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    await waitFor('subscribed', async () => events.some((m) => m.type === 'subscribed'), 10_000);

    const good = await deploy(serviceId);
    expect(good.status, good.error_message).toBe('running');
    // The gate's passing probe plus periodic checks every second arrive in telemetry batches.
    const passing = await waitFor('periodic health results', async () => {
      const items = (await health(serviceId)).body.data.items as HealthResult[];
      return items.length >= 3 && items;
    }, 30_000, 250);
    for (const r of passing) expect(r).toMatchObject({ healthy: true, status_code: 200, error: null });
    const heard = await waitFor('service.health event', async () => events.find((m) => m.type === 'service.health' && m.data.service_id === serviceId), 20_000);
    expect(heard.data).toMatchObject({ healthy: true, status_code: 200, error: null, response_time_ms: expect.any(Number) });
    stream.close();

    // A version whose /health answers 503 fails its gate; the probes say why.
    repo.commitAndPush({ 'server.js': repo.read('server.js').replace("if (req.url === '/health') {", "if (req.url === '/health') {\n    res.writeHead(503);\n    return res.end('not ready');") }, 'v2: unhealthy');
    const bad = await deploy(serviceId);
    expect(bad.status).toBe('failed');
    const failures = await waitFor('failed health results', async () => {
      const items = (await health(serviceId, '?healthy=false')).body.data.items as HealthResult[];
      return items.length >= 2 && items;
    }, 30_000, 250);
    for (const r of failures) expect(r).toMatchObject({ healthy: false, status_code: 503, error: 'GET /health → HTTP 503' });

    // Pages of 2, newest first, no result twice, down to the first.
    const seen: HealthResult[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await health(serviceId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.items);
      cursor = page.body.data.next_cursor;
    }
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
    const times = seen.map((r) => Date.parse(r.checked_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(seen.some((r) => r.healthy) && seen.some((r) => !r.healthy)).toBe(true);
  }, 150_000);

  it('rejects bad queries with a message that names the field', async () => {
    const repo = gitRemote(tempDir('health-q'));
    repo.commitAndPush({}, 'init');
    const project = await api.post('/api/v1/projects', { name: 'HealthQ', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const svc = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: serverId }, { token: owner.token });
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=500', 'limit'],
      ['?healthy=maybe', 'healthy'],
      ['?cursor=not-a-cursor', 'cursor'],
    ] as const) {
      const res = await health(svc.body.data.id, query);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body.error), query).toContain(field);
    }
  });
});
