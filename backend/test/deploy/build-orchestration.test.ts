import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build } from '@syntra/shared';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { createProjectAndService, insertServer, RecordingGateway, waitFor } from './support.js';

// The worker's side of a build, against a stand-in hub: what it sends, and what it accepts back.
let env: TestEnv;
let api: ApiClient;
let owner: Account;
let workers: RunningWorkers;
const gateway = new RecordingGateway();

beforeAll(async () => {
  env = await startTestEnv({}, { services: { agentGateway: gateway } });
  workers = startWorkers(env.deps, { deployTimeoutMs: 1500 });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'orchestration');
});
afterAll(async () => {
  await workers.close();
  await env.deps.services.deployments.queue.close();
  await env.close();
});

const result = (b: Build, over: Record<string, unknown>) => ({ request_id: b.request_id, deployment_id: b.deployment_id, ok: false, artifact_id: null, digest: null, kind: null, image_ref: null, start_command: null, sha: null, commit_message: null, commits: [], commits_complete: false, duration_ms: 10, error: null, ...over });
const status = async (id: string) => (await env.db('deployments').where({ id }).first())!.status as string;

describe('the worker has the service’s server build', () => {
  it('sends a build frame with what to build (ids only in the job); another server’s report is ignored, an artifact not uploaded for it fails the build', async () => {
    const server = await insertServer(env, owner.orgId);
    const intruder = await insertServer(env, owner.orgId, 'intruder');
    gateway.connected.add(server.id);
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: 'https://git.example/app.git' }, { build_context: 'web', start_command: 'node web.js' });
    const res = await api.post(`/api/v1/services/${service.id}/deploy`, { git_ref: 'v1.2' }, { token: owner.token });
    const sent = await waitFor('the build frame', async () => gateway.sent.find((s) => s.type === 'build' && (s.payload as unknown as Build).deployment_id === res.body.data.id), 60_000);
    const frame = sent.payload as unknown as Build;
    expect(sent.serverId).toBe(server.id);
    expect(frame).toMatchObject({ service_id: service.id, git: { url: 'https://git.example/app.git', ref: 'v1.2' }, source_type: 'auto', build_context: 'web', start_command: 'node web.js', runtime: 'process', base_sha: null, upload_url: `${env.url}/api/v1/artifacts/uploads/${res.body.data.id}` });
    expect(frame.git.ssh_private_key).toBeUndefined();
    // Job data holds the id only.
    const job = await env.redis.hgetall(`bull:syntra-builds:${res.body.data.id}`);
    expect(JSON.parse(job.data!)).toEqual({ deployment_id: res.body.data.id });

    await env.deps.services.deployments.onBuildResult(intruder.id, result(frame, { error: 'not yours' }) as never);
    expect(await status(res.body.data.id)).toBe('building');
    await env.deps.services.deployments.onBuildResult(server.id, result(frame, { ok: true, artifact_id: crypto.randomUUID(), digest: 'sha256:00' }) as never);
    expect(await status(res.body.data.id)).toBe('failed'); // an artifact nobody uploaded for it
    expect((await env.db('deployments').where({ id: res.body.data.id }).first())!.error_message).toContain('was not uploaded for this deployment');
  });

  it('a build whose agent stays away past the deploy timeout fails with that reason', async () => {
    const server = await insertServer(env, owner.orgId, 'away');
    gateway.connected.add(server.id);
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: 'https://git.example/away.git' });
    const res = await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: owner.token });
    gateway.connected.delete(server.id);
    const d = await waitFor('the deployment to fail', async () => {
      const row = await api.get(`/api/v1/deployments/${res.body.data.id}?tail=50`, { token: owner.token });
      return row.body.data.status === 'failed' && row.body.data;
    }, 20_000);
    expect(d.error_message).toMatch(/^The agent was not connected for \d+ s during the build$/);
    expect(d.logs.lines.map((l: { line: string }) => l.line)).toContain('the agent is not connected; it receives the build when it reconnects');
  });
});
