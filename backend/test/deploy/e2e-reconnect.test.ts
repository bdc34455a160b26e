import fs from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { gitRemote } from './git-repo.js';
import { waitFor } from './support.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let workers: RunningWorkers;
let agent: AgentProcess | null = null;

/** Processes this test's agent started for `deploymentId` (found by the env the runtime gives them). */
function pidsOfDeployment(deploymentId: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').includes(`SYNTRA_DEPLOYMENT_ID=${deploymentId}`)) pids.push(Number(entry));
    } catch {
      /* gone or not ours */
    }
  }
  return pids;
}

beforeAll(async () => {
  env = await startRealtimeEnv();
  workers = startWorkers(env.deps, { deployTimeoutMs: 90_000 });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'reconnect');
});
afterAll(async () => {
  await agent?.stop();
  await workers.close();
  await env.deps.services.deployments.queue.close();
  await env.close();
});

describe('agent disconnected mid-deploy', () => {
  it('the deployment is redelivered on reconnect and finishes (never stuck in deploying)', async () => {
    const created = await api.post('/api/v1/servers', { name: 'flaky' }, { token: owner.token, orgId: owner.orgId });
    const serverId = created.body.data.server.id as string;
    const token = created.body.data.agent_token as string;
    const online = () => waitFor('agent online', async () => (await env.db('servers').where({ id: serverId }).first())?.status === 'online', 30_000);
    agent = await spawnAgent(env.url, token);
    await online();

    const repo = gitRemote(tempDir('reconnect-git'));
    repo.commitAndPush({ VERSION: 'r1\n' }, 'r1');
    const project = await api.post('/api/v1/projects', { name: 'Flaky', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    // A slow boot keeps the deploy on the agent long enough to cut the connection in the middle.
    const service = await api.post(
      `/api/v1/projects/${project.body.data.id}/services`,
      { name: 'web', server_id: serverId, start_command: 'sleep 3 && node server.js', health_check: { path: '/health', interval_seconds: 1, timeout_seconds: 2, retries: 3 } },
      { token: owner.token },
    );
    const res = await api.post(`/api/v1/services/${service.body.data.id}/deploy`, {}, { token: owner.token });
    const id = res.body.data.id as string;
    await waitFor('the agent to start the new version', async () => (await env.db('deployment_logs').where({ deployment_id: id }).where('line', 'like', 'agent: starting%').first()), 60_000);

    const dataDir = agent.dataDir;
    await agent.stop('SIGKILL');
    agent = null;
    for (const pid of pidsOfDeployment(id)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await waitFor('server offline', async () => (await env.db('servers').where({ id: serverId }).first())?.status === 'offline', 30_000);
    expect((await env.db('deployments').where({ id }).first())!.status).toBe('deploying');

    agent = await spawnAgent(env.url, token, dataDir);
    await online();
    const d = await waitFor('the deployment to finish after the reconnect', async () => {
      const row = await api.get(`/api/v1/deployments/${id}?tail=300`, { token: owner.token });
      return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
    }, 60_000);
    expect(d.status, d.error_message).toBe('running');
    const { port } = (await env.db('services').where({ id: service.body.data.id }).first()) as { port: number | null };
    expect(port).toBeNull();
    // Instance output arrives as telemetry (durable on the agent until acked), within moments.
    await waitFor('the app\'s output in its logs', async () => {
      const logs = await api.get(`/api/v1/services/${service.body.data.id}/logs?tail=20`, { token: owner.token });
      return logs.body.data.some((l: { line: string }) => l.line.includes('node-hello r1 listening'));
    }, 15_000);

    // Desired state is repaired too: an agent that lost everything (new data dir) gets the
    // current deployment back on connect and starts it again, on the service's stable port.
    const appPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await env.db('services').where({ id: service.body.data.id }).update({ port: appPort });
    await agent.stop();
    agent = await spawnAgent(env.url, token, tempDir('fresh-agent'));
    await online();
    const answer = await waitFor('the service to be restored on the fresh agent', async () => {
      const res = await fetch(`http://127.0.0.1:${appPort}/`).catch(() => null);
      return res?.ok && ((await res.json()) as { version: string });
    }, 60_000);
    expect(answer.version).toBe('r1');
    expect((await env.db('deployments').where({ id }).first())!.status).toBe('running');
  }, 150_000);
});

describe('agent gone during a build', () => {
  it('the build is sent again in hello_ack when the agent reconnects, and the deployment finishes', async () => {
    const created = await api.post('/api/v1/servers', { name: 'flaky-builder' }, { token: owner.token, orgId: owner.orgId });
    const serverId = created.body.data.server.id as string;
    const token = created.body.data.agent_token as string;
    const online = () => waitFor('agent online', async () => (await env.db('servers').where({ id: serverId }).first())?.status === 'online', 30_000);
    const builder = await spawnAgent(env.url, token);
    await online();
    const repo = gitRemote(tempDir('rebuild-git'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = 'echo build begins && sleep 2';
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg) }, 'slow build');
    const project = await api.post('/api/v1/projects', { name: 'Rebuilt', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: serverId }, { token: owner.token });
    const res = await api.post(`/api/v1/services/${service.body.data.id}/deploy`, {}, { token: owner.token });
    const id = res.body.data.id as string;
    await waitFor('the build to start', async () => env.db('deployment_logs').where({ deployment_id: id, line: 'build begins' }).first(), 60_000);
    // The agent dies mid-build (its build with it); while it is away the deployment stays `building`.
    await builder.stop('SIGKILL');
    await waitFor('server offline', async () => (await env.db('servers').where({ id: serverId }).first())?.status === 'offline', 30_000);
    expect((await env.db('deployments').where({ id }).first())!.status).toBe('building');

    const back = await spawnAgent(env.url, token, builder.dataDir);
    try {
      await online();
      const d = await waitFor('the deployment to finish after the reconnect', async () => {
        const row = await api.get(`/api/v1/deployments/${id}?tail=500`, { token: owner.token });
        return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
      }, 60_000);
      expect(d.status, d.error_message).toBe('running');
      expect(d.logs.lines.filter((l: { line: string }) => l.line === 'build begins').length).toBe(2);
    } finally {
      await back.stop();
    }
  }, 150_000);
});
