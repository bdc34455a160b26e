import { startWorkers, type RunningWorkers, type WorkerOptions } from '../../src/workers/index.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv } from '../support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { waitFor } from './support.js';

/**
 * The deploy pipeline as it runs for real: an API node with the agent hub, build workers, and a
 * real agent process on "its server" (builds run there). The first account registered is the
 * installation's admin org, so its projects may use local (file://) test repositories.
 */
export interface AgentRig {
  env: RealtimeEnv;
  api: ApiClient;
  owner: Account;
  server: { id: string; token: string };
  agent: AgentProcess;
  workers: RunningWorkers | null;
  startWorkers(opts?: WorkerOptions): RunningWorkers;
  close(): Promise<void>;
}

export async function startAgentRig(opts: { tag: string; env?: Record<string, string>; agentEnv?: Record<string, string>; workers?: WorkerOptions | false }): Promise<AgentRig> {
  const env = await startRealtimeEnv(opts.env ?? {});
  const api = apiClient(env.url);
  const owner = await registerAccount(api, opts.tag);
  const created = await api.post('/api/v1/servers', { name: `${opts.tag}-server` }, { token: owner.token, orgId: owner.orgId });
  const server = { id: created.body.data.server.id as string, token: created.body.data.agent_token as string };
  const agent = await spawnAgent(env.url, server.token, undefined, opts.agentEnv ?? {});
  await waitFor(`agent online (${agent.output()})`, async () => (await env.db('servers').where({ id: server.id }).first())!.status === 'online', 30_000);
  const rig: AgentRig = {
    env,
    api,
    owner,
    server,
    agent,
    workers: null,
    startWorkers: (w) => (rig.workers = startWorkers(env.deps, { deployTimeoutMs: 30_000, ...w })),
    close: async () => {
      await rig.agent.stop();
      await rig.workers?.close();
      await env.deps.services.deployments.queue.close();
      await env.close();
    },
  };
  if (opts.workers !== false) rig.startWorkers(opts.workers || {});
  return rig;
}

/** Triggers a deploy of `serviceId` and waits for its final status; the deployment with its log tail. */
export async function deployAndWait(rig: AgentRig, serviceId: string, timeoutMs = 90_000) {
  const res = await rig.api.post(`/api/v1/services/${serviceId}/deploy`, {}, { token: rig.owner.token });
  if (res.status !== 201) throw new Error(`deploy: ${res.status} ${JSON.stringify(res.body)}`);
  return finished(rig, res.body.data.id as string, timeoutMs);
}

export async function finished(rig: AgentRig, deploymentId: string, timeoutMs = 90_000) {
  return waitFor(`deployment ${deploymentId} to finish`, async () => {
    const d = await rig.api.get(`/api/v1/deployments/${deploymentId}?tail=2000`, { token: rig.owner.token });
    return ['running', 'failed', 'cancelled'].includes(d.body.data.status) && d.body.data;
  }, timeoutMs);
}

/** How many `deploy` frames were handed to agents for a deployment (the command table keeps each one). */
export async function deploysSent(rig: AgentRig, deploymentId: string): Promise<number> {
  const rows = await rig.env.db('agent_commands').where({ type: 'deploy' }).whereRaw("payload->>'deployment_id' = ?", [deploymentId]);
  return rows.length;
}

export const logText = (d: { logs: { lines: Array<{ line: string }> } }) => d.logs.lines.map((l) => l.line).join('\n');
