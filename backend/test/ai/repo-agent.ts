import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startAnthropicStandIn, type AnthropicStandIn } from '../../../test-support/anthropic-stand-in.js';
import { gitRemote } from '../deploy/git-repo.js';
import { type Account, apiClient, type ApiClient, registerAccount } from '../support/api-client.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir, waitFor } from '../support/agent-env.js';

export interface RepoCast {
  env: RealtimeEnv;
  api: ApiClient;
  model: AnthropicStandIn;
  owner: Account;
  agent: AgentProcess;
  serverId: string;
  serviceId: string;
  projectId: string;
  initialSha: string;
  repo: ReturnType<typeof gitRemote>;
  close(): Promise<void>;
}

/**
 * AI on (stand-in model), a real agent connected for a server, and a service on it whose git mirror
 * is in the agent's data dir, where a first build would have left it (`git-cache/<service>.git`).
 */
export async function startRepoCast(files: Record<string, string>, opts: { config?: Record<string, string> } = {}): Promise<RepoCast> {
  const model = await startAnthropicStandIn();
  const env = await startRealtimeEnv({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: model.url, ...opts.config });
  const api = apiClient(env.url);
  const owner = await registerAccount(api, 'owner');
  const created = await api.post('/api/v1/servers', { name: 'repo-box' }, { token: owner.token, orgId: owner.orgId });
  const serverId = created.body.data.server.id as string;
  const repo = gitRemote(tempDir('ai-git'));
  for (const f of Object.keys(files)) fs.mkdirSync(path.dirname(path.join(repo.work, f)), { recursive: true });
  const initialSha = repo.commitAndPush(files, 'initial');
  const project = await api.post('/api/v1/projects', { name: 'Repo app', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: serverId }, { token: owner.token });
  const serviceId = service.body.data.id as string;
  const dataDir = tempDir('agent');
  fs.mkdirSync(path.join(dataDir, 'git-cache'), { recursive: true });
  execFileSync('git', ['clone', '-q', '--mirror', repo.bare, path.join(dataDir, 'git-cache', `${serviceId}.git`)]);
  const agent = await spawnAgent(env.url, created.body.data.agent_token as string, dataDir);
  await waitFor('agent online', async () => (await api.get(`/api/v1/servers/${serverId}`, { token: owner.token })).body.data.status === 'online');
  return {
    env, api, model, owner, agent, serverId, serviceId, repo, initialSha, projectId: project.body.data.id as string,
    close: async () => {
      await agent.stop();
      await env.close();
      await model.close();
    },
  };
}

/** Pushes a commit and fetches it into the agent's mirror, as the next build would; returns its sha. */
export function pushAndFetch(cast: RepoCast, files: Record<string, string>, message: string): string {
  for (const f of Object.keys(files)) fs.mkdirSync(path.dirname(path.join(cast.repo.work, f)), { recursive: true });
  const sha = cast.repo.commitAndPush(files, message);
  execFileSync('git', ['--git-dir', path.join(cast.agent.dataDir, 'git-cache', `${cast.serviceId}.git`), 'fetch', '-q', 'origin', '+refs/heads/*:refs/heads/*']);
  return sha;
}
