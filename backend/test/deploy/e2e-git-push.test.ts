import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/embedded/free-port.js';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, addMember, apiClient, registerAccount } from '../support/api-client.js';
import { gitRemote, pushEvent } from './git-repo.js';
import { signGithub, waitFor } from './support.js';

const SECRET = 'e2e-webhook-secret';
const GREETING = 'greeting-secret-value-7f3a';
let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let viewer: Account;
let workers: RunningWorkers;
let agent: AgentProcess;
let repo: ReturnType<typeof gitRemote>;
let serviceId: string;
let port: number;

async function getApp(): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return { status: res.status, body: await res.json() };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

let delivery = 0;
async function push(files: Record<string, string>, message: string) {
  const sha = repo.commitAndPush(files, message);
  const body = pushEvent(repo.url, sha, message);
  const res = await api.request('POST', '/api/v1/webhooks/github', undefined, {
    rawBody: body,
    headers: { 'x-github-event': 'push', 'x-github-delivery': `e2e-${(delivery += 1)}`, 'x-hub-signature-256': signGithub(SECRET, body) },
  });
  expect(res.status).toBe(200);
  expect(res.body.data.deployments).toHaveLength(1);
  return { sha, deploymentId: res.body.data.deployments[0].deployment_id as string };
}

async function finished(deploymentId: string) {
  return waitFor(
    `deployment ${deploymentId} to finish`,
    async () => {
      const d = await api.get(`/api/v1/deployments/${deploymentId}?tail=2000`, { token: owner.token });
      return ['running', 'failed', 'cancelled'].includes(d.body.data.status) && d.body.data;
    },
    90_000,
    200,
  );
}

beforeAll(async () => {
  env = await startRealtimeEnv({ GITHUB_WEBHOOK_SECRET: SECRET });
  workers = startWorkers(env.deps, { deployTimeoutMs: 60_000 });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'e2e');
  viewer = await registerAccount(api, 'e2e-viewer');
  await addMember(api, owner, viewer, 'viewer');
  const created = await api.post('/api/v1/servers', { name: 'e2e' }, { token: owner.token, orgId: owner.orgId });
  agent = await spawnAgent(env.url, created.body.data.agent_token);
  await waitFor('agent online', async () => (await env.db('servers').where({ id: created.body.data.server.id }).first())?.status === 'online', 30_000);

  repo = gitRemote(tempDir('e2e-git'));
  repo.commitAndPush({ VERSION: 'v1\n' }, 'v1: first version');
  port = await freePort();
  const project = await api.post('/api/v1/projects', { name: 'Hello', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(
    `/api/v1/projects/${project.body.data.id}/services`,
    { name: 'web', server_id: created.body.data.server.id, port, health_check: { path: '/health', interval_seconds: 1, timeout_seconds: 2, retries: 3 } },
    { token: owner.token },
  );
  serviceId = service.body.data.id;
  await api.put(`/api/v1/services/${serviceId}/env`, { vars: { GREETING } }, { token: owner.token });
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await workers?.close();
  await env.deps.services.deployments.queue.close();
  await env.close();
});

describe('git push → webhook → build → agent → edge', () => {
  const ids: Record<string, string> = {};

  it('deploys the pushed commit and serves it on the service port', async () => {
    const { sha, deploymentId } = await push({ VERSION: 'v1.1\n' }, 'v1.1: say hello');
    ids.first = deploymentId;
    const d = await finished(deploymentId);
    expect(d).toMatchObject({ status: 'running', git_commit_sha: sha, git_commit_message: 'v1.1: say hello', trigger_type: 'git_push' });
    expect(Object.keys(d.phases)).toEqual(expect.arrayContaining(['queued', 'building', 'pushing', 'deploying']));
    expect(d.logs.lines.map((l: { line: string }) => l.line).join('\n')).toMatch(/detected a node app[\s\S]*health check passed[\s\S]*traffic switched/);
    expect(await getApp()).toEqual({ status: 200, body: { message: GREETING, version: 'v1.1' } });
    const service = await api.get(`/api/v1/services/${serviceId}`, { token: owner.token });
    expect(service.body.data.current_deployment_id).toBe(deploymentId);
  });

  it('switches to the next push', async () => {
    const { deploymentId } = await push({ VERSION: 'v2\n' }, 'v2: second version');
    ids.second = deploymentId;
    expect((await finished(deploymentId)).status).toBe('running');
    expect((await getApp()).body.version).toBe('v2');
  });

  it('leaves the old version serving when the new one fails its health check', async () => {
    const broken = repo.read('server.js').replace("if (req.url === '/health') {", "if (req.url === '/health') {\n    res.writeHead(503);\n    return res.end('not ready');");
    const { deploymentId } = await push({ VERSION: 'v3\n', 'server.js': broken }, 'v3: broken health');
    const d = await finished(deploymentId);
    expect(d.status).toBe('failed');
    expect(d.error_message).toContain('Health check failed');
    expect(d.error_message).toContain('HTTP 503');
    expect(d.logs.lines.some((l: { line: string }) => l.line.includes('health check 1/3 failed'))).toBe(true);
    expect(await getApp()).toEqual({ status: 200, body: { message: GREETING, version: 'v2' } });
    const service = await api.get(`/api/v1/services/${serviceId}`, { token: owner.token });
    expect(service.body.data.current_deployment_id).toBe(ids.second);
  });

  it('rolls back to an earlier artifact with its env snapshot, without a rebuild', async () => {
    // Env changed since: the rollback must bring back the value the first deployment ran with.
    await api.put(`/api/v1/services/${serviceId}/env`, { vars: { GREETING: 'changed later' } }, { token: owner.token });
    const res = await api.post(`/api/v1/services/${serviceId}/rollback`, { deployment_id: ids.first }, { token: owner.token });
    expect(res.status).toBe(201);
    const d = await finished(res.body.data.id);
    expect(d).toMatchObject({ status: 'running', trigger_type: 'rollback', rollback_from_id: ids.first, build_duration_ms: null });
    expect(d.logs.lines.some((l: { line: string }) => l.line.includes('no rebuild'))).toBe(true);
    expect(await getApp()).toEqual({ status: 200, body: { message: GREETING, version: 'v1.1' } });
    const replaced = await api.get(`/api/v1/deployments/${ids.second}`, { token: owner.token });
    expect(replaced.body.data.status).toBe('rolled_back');
  });

  it('lists history and diffs two deployments (commits, env keys, digest)', async () => {
    const list = await api.get(`/api/v1/services/${serviceId}/deployments?limit=2`, { token: viewer.token });
    expect(list.body.data.items).toHaveLength(2);
    const next = await api.get(`/api/v1/services/${serviceId}/deployments?limit=2&cursor=${list.body.data.next_cursor}`, { token: viewer.token });
    expect(next.body.data.items.length).toBeGreaterThan(0);
    const diff = await api.get(`/api/v1/deployments/${ids.second}/diff?against=${ids.first}`, { token: viewer.token });
    expect(diff.status).toBe(200);
    expect(diff.body.data.commits.messages.map((m: { message: string }) => m.message)).toEqual(['v2: second version']);
    expect(diff.body.data.env).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.body.data.image_digest.from).not.toBe(diff.body.data.image_digest.to);
  });

  it('serves runtime logs and keeps env values out of job data, logs and viewer responses', async () => {
    await waitFor('the app\'s output in its logs', async () => {
      const logs = await api.get(`/api/v1/services/${serviceId}/logs?tail=50`, { token: viewer.token });
      return logs.body.data.some((l: { line: string }) => l.line.includes('listening'));
    }, 15_000);
    const keys = await env.redis.keys('bull:syntra-builds:*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await env.redis.type(key);
      const dump = type === 'hash' ? JSON.stringify(await env.redis.hgetall(key)) : type === 'string' ? ((await env.redis.get(key)) ?? '') : '';
      expect(dump).not.toContain(GREETING);
    }
    // The hub's stored copy of each deploy frame holds its env sealed, never in clear.
    const commands = await env.db('agent_commands').where({ type: 'deploy' });
    expect(commands.length).toBeGreaterThan(0);
    expect(JSON.stringify(commands)).not.toContain(GREETING);
    expect(commands.every((c) => typeof c.payload.$sealed === 'string' && !('env' in c.payload))).toBe(true);
    const allLogs = await env.db('deployment_logs').select('line');
    expect(allLogs.map((l) => l.line).join('\n')).not.toContain(GREETING);
    const envView = await api.get(`/api/v1/services/${serviceId}/env`, { token: viewer.token });
    expect(JSON.stringify(envView.body)).not.toContain('changed later');
    for (const d of (await api.get(`/api/v1/services/${serviceId}/deployments`, { token: viewer.token })).body.data.items) {
      const one = await api.get(`/api/v1/deployments/${d.id}`, { token: viewer.token });
      expect(JSON.stringify(one.body)).not.toContain(GREETING);
    }
  });
});
