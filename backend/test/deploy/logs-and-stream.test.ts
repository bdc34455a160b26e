import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, type RealtimeEnv, tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, addMember, registerAccount } from '../support/api-client.js';
import { type AgentRig, startAgentRig } from './agent-rig.js';
import { gitRemote } from './git-repo.js';
import { createProjectAndService, insertServer, waitFor } from './support.js';

let rig: AgentRig;
let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let viewer: Account;

beforeAll(async () => {
  rig = await startAgentRig({ tag: 'logs', workers: { deployTimeoutMs: 20_000 } });
  ({ env, api, owner } = rig);
  viewer = await registerAccount(api, 'logs-viewer');
  await addMember(api, owner, viewer, 'viewer');
}, 60_000);
afterAll(() => rig.close());

describe('build logs', () => {
  it('stream live from the agent that builds to consoles as deployment.log / deployment.status events', async () => {
    const server = rig.server;
    const repo = gitRemote(tempDir('stream-git'));
    repo.commitAndPush({ VERSION: 's1\n' }, 's1');
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url });

    // A viewer's console: read-only roles see build progress too.
    const ws = new WebSocket(`${env.url.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${viewer.token}` } });
    const messages = collect(ws);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId, events: ['deployment.log', 'deployment.status'] }));
    await waitFor('subscribed', async () => messages.find((m) => m.type === 'subscribed'), 60_000);

    const res = await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: owner.token });
    const id = res.body.data.id as string;
    await waitFor('running event', async () => messages.find((m) => m.type === 'deployment.status' && m.data.deployment_id === id && m.data.status === 'running'), 30_000);
    // The agent's last deploy lines may trail the status: wait until every stored line has streamed.
    const streamedCount = () => messages.filter((m) => m.type === 'deployment.log' && m.data.deployment_id === id).reduce((n, m) => n + m.data.lines.length, 0);
    await waitFor('the whole log to stream', async () => {
      const stored = await api.get(`/api/v1/deployments/${id}?tail=1`, { token: viewer.token });
      return stored.body.data.logs.lines.some((l: { line: string }) => l.line === 'traffic switched to the new version') && streamedCount() === stored.body.data.logs.total_lines;
    }, 30_000);
    ws.close();
    const statuses = messages.filter((m) => m.type === 'deployment.status' && m.data.deployment_id === id).map((m) => m.data.status);
    expect(statuses).toEqual(['queued', 'building', 'pushing', 'deploying', 'running']);
    const streamed = messages.filter((m) => m.type === 'deployment.log' && m.data.deployment_id === id).flatMap((m) => m.data.lines);
    expect(streamed.some((l: { line: string }) => l.line.startsWith('detected a node app'))).toBe(true);
    // What streamed is what is stored, with the same sequence numbers.
    const stored = await api.get(`/api/v1/deployments/${id}?after=0&limit=5000`, { token: viewer.token });
    expect(streamed.map((l: { seq: number; line: string }) => [l.seq, l.line])).toEqual(stored.body.data.logs.lines.map((l: { seq: number; line: string }) => [l.seq, l.line]));
  });

  it('a 10 MB log stays usable: tail by default, pages by sequence number', async () => {
    const server = await insertServer(env, owner.orgId);
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: 'https://example.test/x.git' });
    // A finished deployment (no worker involved, so every line below is ours).
    const [row] = await env.db('deployments').insert({ service_id: service.id, status: 'failed', finished_at: new Date() }).returning('id');
    const id = row!.id;
    const d = { id, service_id: service.id };
    const filler = 'x'.repeat(90);
    const total = 110_000;
    for (let i = 0; i < total; i += 5000) {
      await env.deps.services.deployments.log(d, Array.from({ length: 5000 }, (_, j) => ({ stream: 'build' as const, line: `line ${i + j + 1} ${filler}` })));
    }
    const t0 = performance.now();
    const tail = await api.get(`/api/v1/deployments/${id}`, { token: owner.token });
    const tTail = performance.now() - t0;
    const logs = tail.body.data.logs;
    expect(logs.total_bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(logs.lines).toHaveLength(500);
    expect(logs.lines.at(-1)).toMatchObject({ seq: total, line: expect.stringMatching(new RegExp(`^line ${total} `)) });
    expect(logs.next_after).toBeNull();
    const t1 = performance.now();
    const page = await api.get(`/api/v1/deployments/${id}?after=55000&limit=1000`, { token: owner.token });
    const tPage = performance.now() - t1;
    expect(page.body.data.logs.lines.map((l: { seq: number }) => l.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => 55_001 + i));
    expect(page.body.data.logs.next_after).toBe(56_000);
    console.log(`10 MB log (${logs.total_lines} lines, ${(logs.total_bytes / 1048576).toFixed(1)} MiB): tail of 500 in ${tTail.toFixed(0)} ms, a 1000-line page in ${tPage.toFixed(0)} ms`);
  }, 120_000);
});
