import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { gitRemote } from './git-repo.js';
import { type Podman, startPodman } from '../../../test-support/podman.js';
import { waitFor } from './support.js';

let podman: Podman;
const skip = () => ('skip' in podman ? podman.skip : null);

beforeAll(async () => {
  podman = await startPodman(tempDir('podman'));
  if ('skip' in podman) console.warn(`docker runtime tests skipped: ${podman.skip}`);
}, 60_000);
afterAll(async () => {
  if (!('skip' in podman)) await podman.stop();
});

// The image builder itself is tested in agent/test/build/image-builder.test.ts: builds run on the agent.
describe('a Dockerfile service end to end on the docker runtime (built by the agent with its engine)', () => {
  let env: RealtimeEnv;
  let api: ApiClient;
  let owner: Account;
  let workers: RunningWorkers;
  let agent: AgentProcess;

  beforeAll(async () => {
    if (skip()) return;
    const socket = (podman as { socket: string }).socket;
    env = await startRealtimeEnv({ SYNTRA_DOCKER_SOCKET: socket });
    workers = startWorkers(env.deps, { deployTimeoutMs: 60_000 });
    api = apiClient(env.url);
    owner = await registerAccount(api, 'docker');
  }, 60_000);
  afterAll(async () => {
    if (skip()) return;
    await agent?.stop();
    await workers.close();
    await env.deps.services.deployments.queue.close();
    await env.close();
  });

  it('push → Dockerfile build → container behind the edge', async (t) => {
    if (skip()) return t.skip();
    const created = await api.post('/api/v1/servers', { name: 'docker' }, { token: owner.token, orgId: owner.orgId });
    process.env.SYNTRA_DOCKER_SOCKET = (podman as { socket: string }).socket;
    try {
      agent = await spawnAgent(env.url, created.body.data.agent_token);
    } finally {
      delete process.env.SYNTRA_DOCKER_SOCKET;
    }
    await waitFor('agent online', async () => (await env.db('servers').where({ id: created.body.data.server.id }).first())?.status === 'online', 30_000);
    const repo = gitRemote(tempDir('docker-git'), 'dockerfile-app');
    repo.commitAndPush({}, 'dockerfile app');
    const { createServer } = await import('node:net');
    const freePort = () =>
      new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
    const port = await freePort();
    const project = await api.post('/api/v1/projects', { name: 'Docker app', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const service = await api.post(
      `/api/v1/projects/${project.body.data.id}/services`,
      { name: 'web', server_id: created.body.data.server.id, source_type: 'dockerfile', port, memory_limit: '64m', health_check: { path: '/', interval_seconds: 1, timeout_seconds: 2, retries: 5 } },
      { token: owner.token },
    );
    const res = await api.post(`/api/v1/services/${service.body.data.id}/deploy`, {}, { token: owner.token });
    const d = await waitFor('docker deployment', async () => {
      const row = await api.get(`/api/v1/deployments/${res.body.data.id}?tail=300`, { token: owner.token });
      return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
    }, 120_000, 250);
    expect(d.status, `${d.error_message}\n${d.logs.lines.map((l: { line: string }) => l.line).join('\n')}`).toBe('running');
    expect(d.image_digest).toMatch(/^sha256:/);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toContain('Built from a Dockerfile by Syntra');

    // An `image` service deploys an existing image as is (here: the one just built), no build step.
    const [image, tag] = (d.image_digest ? ((await env.db('artifacts').where({ id: d.artifact_id }).first())!.image_ref ?? '') : '').split(':');
    const imagePort = await freePort();
    const imageService = await api.post(
      `/api/v1/projects/${project.body.data.id}/services`,
      { name: 'from-image', server_id: created.body.data.server.id, source_type: 'image', image_name: image, image_tag: 'nope', port: imagePort, health_check: { path: '/', interval_seconds: 1, timeout_seconds: 2, retries: 5 } },
      { token: owner.token },
    );
    const byTag = await api.post(`/api/v1/services/${imageService.body.data.id}/deploy`, { image_tag: tag }, { token: owner.token });
    const d2 = await waitFor('image deployment', async () => {
      const row = await api.get(`/api/v1/deployments/${byTag.body.data.id}?tail=100`, { token: owner.token });
      return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
    }, 60_000, 250);
    expect(d2.status, d2.error_message).toBe('running');
    expect(d2.build_duration_ms).toBeLessThan(d.build_duration_ms);
    expect(await (await fetch(`http://127.0.0.1:${imagePort}/`)).text()).toContain('Built from a Dockerfile by Syntra');
  }, 180_000);
});
