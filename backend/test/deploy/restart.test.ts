import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/agent-env.js';
import type { Account, ApiClient } from '../support/api-client.js';
import { type AgentRig, startAgentRig } from './agent-rig.js';
import { gitRemote } from './git-repo.js';
import { waitFor } from './support.js';

// Restarting a deployed service end to end: the route sends service.restart to the real agent, which
// starts fresh instances of the live deployment, health-checks them, moves the traffic, and answers.

let rig: AgentRig;
let api: ApiClient;
let owner: Account;
let serverId: string;

beforeAll(async () => {
  rig = await startAgentRig({ tag: 'restart', workers: { deployTimeoutMs: 60_000 } });
  ({ api, owner } = rig);
  serverId = rig.server.id;
}, 60_000);
afterAll(() => rig?.close());

describe('service restart through a real agent', () => {
  it('restarts the running deployment in place (no new deployment): the agent answers the command and the service log says so', async () => {
    const repo = gitRemote(tempDir('restart-git'));
    repo.commitAndPush({ VERSION: 'v1\n' }, 'v1');
    const project = await api.post('/api/v1/projects', { name: 'Restart', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const svc = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: serverId }, { token: owner.token });
    const serviceId = svc.body.data.id as string;
    const started = await api.post(`/api/v1/services/${serviceId}/deploy`, {}, { token: owner.token });
    const deployed = await waitFor('the first deploy', async () => {
      const d = await api.get(`/api/v1/deployments/${started.body.data.id}`, { token: owner.token });
      return ['running', 'failed'].includes(d.body.data.status) && d.body.data;
    }, 90_000, 200);
    expect(deployed.status).toBe('running');

    const res = await api.post(`/api/v1/services/${serviceId}/restart`, undefined, { token: owner.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.deployment_id).toBe(started.body.data.id);
    const commandId = res.body.data.commands[0].command_id as string;
    const answer = await waitFor('the agent to answer the restart', async () => {
      const c = await api.get(`/api/v1/servers/${serverId}/commands/${commandId}`, { token: owner.token });
      return c.body.data.status === 'answered' && c.body.data;
    }, 60_000, 200);
    expect(answer).toMatchObject({ ok: true, data: { restarted: true, deployment_id: started.body.data.id, replicas: 1 } });
    // The service's log says so, and no deployment was made for it.
    await waitFor('the restart in the service log', async () => {
      const logs = await api.get(`/api/v1/services/${serviceId}/logs?tail=200`, { token: owner.token });
      return (logs.body.data as Array<{ line: string }>).some((l) => l.line.includes('restarted: traffic switched to the fresh instances'));
    }, 30_000, 300);
    expect((await api.get(`/api/v1/services/${serviceId}/deployments`, { token: owner.token })).body.data.items).toHaveLength(1);
  });
});
