import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, type Account, type ApiClient } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { createProjectAndService, insertServer, RecordingGateway, signGithub } from '../deploy/support.js';

const SECRET = 'webhook-secret-for-ref-tests';
let env: TestEnv;
let api: ApiClient;
let owner: Account;
let serverId: string;
const gateway = new RecordingGateway();

beforeAll(async () => {
  env = await startTestEnv({ GITHUB_WEBHOOK_SECRET: SECRET }, { services: { agentGateway: gateway } });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'hooks');
  serverId = (await insertServer(env, owner.orgId)).id;
  gateway.connected.add(serverId);
});
afterAll(async () => {
  await env.deps.services.deployments.queue.close();
  await env.close();
});

let delivery = 0;
async function push(ref: string, after: string) {
  const body = JSON.stringify({ ref, after, head_commit: { id: after, message: 'x' }, repository: { clone_url: 'https://github.com/acme/refs.git' } });
  const res = await api.request('POST', '/api/v1/webhooks/github', undefined, { rawBody: body, headers: { 'x-github-event': 'push', 'x-github-delivery': `refs-${++delivery}`, 'x-hub-signature-256': signGithub(SECRET, body) } });
  expect(res.status).toBe(200);
  return res.body.data.deployments as Array<{ deployment_id: string | null }>;
}

describe('webhook-derived branches and commits', () => {
  it('deploy only for branch names and commit ids git itself would accept', async () => {
    const { service } = await createProjectAndService(api, owner, serverId, { git_repo_url: 'https://github.com/acme/refs.git' });
    // A branch stored before the rules existed: a push naming it must not reach git either.
    const legacy = await createProjectAndService(api, owner, serverId, { git_repo_url: 'https://github.com/acme/refs.git' });
    await env.db('services').where({ id: legacy.service.id }).update({ git_branch: '--upload-pack=id' });
    expect(await push('refs/heads/--upload-pack=id', 'c'.repeat(40))).toEqual([]);
    expect(await push('refs/heads/main', '--upload-pack=touch /tmp/x')).toEqual([]);
    expect(await push('refs/heads/main', 'HEAD~1')).toEqual([]);
    expect(await env.db('deployments').whereIn('service_id', [service.id, legacy.service.id])).toEqual([]);
    const ok = await push('refs/heads/main', 'd'.repeat(40));
    expect(ok).toHaveLength(1);
    expect(await env.db('deployments').where({ service_id: service.id }).first()).toMatchObject({ git_ref: 'd'.repeat(40), git_branch: 'main' });
  });

  it('refuses branch names git would refuse on projects and services, naming the field', async () => {
    const bad = await api.post('/api/v1/projects', { name: 'B', git_branch: 'feature..x' }, { token: owner.token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('git_branch');
    expect(JSON.stringify(bad.body.error)).toContain('not a valid git branch name');
    const { service } = await createProjectAndService(api, owner, serverId);
    for (const git_branch of ['-x', 'a b', 'x.lock', '@{-1}']) {
      const res = await api.patch(`/api/v1/services/${service.id}`, { git_branch }, { token: owner.token });
      expect({ git_branch, status: res.status }).toEqual({ git_branch, status: 400 });
    }
    expect((await api.patch(`/api/v1/services/${service.id}`, { git_branch: 'release/2026.12' }, { token: owner.token })).body.data.git_branch).toBe('release/2026.12');
  });
});
