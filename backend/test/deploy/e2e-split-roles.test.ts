import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/embedded/free-port.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { testRedisUrl } from '../support/test-env.js';
import { gitRemote } from './git-repo.js';
import { waitFor } from './support.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let agent: AgentProcess;
let worker: ChildProcess;

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'split');
  // `syntra worker` in its own process: no agent socket there, deploy frames travel through the hub bus.
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'worker-child.ts'), env.config.databaseUrl!, testRedisUrl(), env.url, env.config.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  worker.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  worker.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor('worker process', async () => out.includes('worker ready'), 30_000);
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  if (worker.exitCode === null) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await env.deps.services.deployments.queue.close();
  await env.close();
});

describe('api and worker as separate processes', () => {
  it('a deploy built by the worker process reaches the agent connected to the api process', async () => {
    const created = await api.post('/api/v1/servers', { name: 'split' }, { token: owner.token, orgId: owner.orgId });
    agent = await spawnAgent(env.url, created.body.data.agent_token);
    await waitFor('agent online', async () => (await env.db('servers').where({ id: created.body.data.server.id }).first())?.status === 'online', 30_000);
    const repo = gitRemote(tempDir('split-git'));
    repo.commitAndPush({ VERSION: 'split\n' }, 'split roles');
    const port = await freePort();
    const project = await api.post('/api/v1/projects', { name: 'Split', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: created.body.data.server.id, port, health_check: { path: '/health' } }, { token: owner.token });
    // The deploy frame crosses nodes through agent_commands, where its env is stored sealed.
    await api.put(`/api/v1/services/${service.body.data.id}/env`, { vars: { GREETING: 'sealed across nodes' } }, { token: owner.token });
    const res = await api.post(`/api/v1/services/${service.body.data.id}/deploy`, {}, { token: owner.token });
    const d = await waitFor('deployment', async () => {
      const row = await api.get(`/api/v1/deployments/${res.body.data.id}?tail=100`, { token: owner.token });
      return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
    }, 60_000);
    expect(d.status, d.error_message).toBe('running');
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).json()).toEqual({ message: 'sealed across nodes', version: 'split' });
  }, 90_000);
});
