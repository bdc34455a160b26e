import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/embedded/free-port.js';
import { tempDir } from '../support/agent-env.js';
import type { Account, ApiClient } from '../support/api-client.js';
import { type AgentRig, startAgentRig } from './agent-rig.js';
import { gitRemote } from './git-repo.js';
import { BASE_IMAGE, ensureNodeBaseImage, NODE_BASE_IMAGE, type Podman, startPodman } from '../../../test-support/podman.js';
import { waitFor } from './support.js';

let podman: Podman;
const skip = () => ('skip' in podman ? podman.skip : null);
const socket = () => (podman as { socket: string }).socket;
const podmanDir = tempDir('podman-auto');

beforeAll(async () => {
  podman = await startPodman(podmanDir);
  if ('skip' in podman) console.warn(`docker runtime tests skipped: ${podman.skip}`);
  else ensureNodeBaseImage(podmanDir);
}, 120_000);
afterAll(async () => {
  if (!('skip' in podman)) await podman.stop();
});

describe('auto-detected apps on the docker runtime (generated Dockerfile → image → container)', () => {
  let rig: AgentRig;
  let api: ApiClient;
  let owner: Account;
  let serverId: string;

  beforeAll(async () => {
    if (skip()) return;
    // Local stand-ins for node:20-slim and busybox (no registry here); see ensureNodeBaseImage.
    rig = await startAgentRig({
      tag: 'docker-auto',
      env: { SYNTRA_DOCKER_SOCKET: socket(), SYNTRA_BUILD_NODE_IMAGE: NODE_BASE_IMAGE, SYNTRA_BUILD_STATIC_IMAGE: BASE_IMAGE },
      agentEnv: { SYNTRA_DOCKER_SOCKET: socket() },
      workers: { deployTimeoutMs: 60_000 },
    });
    ({ api, owner } = rig);
    serverId = rig.server.id;
  }, 90_000);
  afterAll(async () => {
    if (!skip()) await rig?.close();
  });

  /** Pushes `example` (plus `files`) to a fresh repo, creates a docker-runtime service and deploys it. */
  async function deployOnDocker(example: string, files: Record<string, string>, service: Record<string, unknown>) {
    const repo = gitRemote(tempDir('auto-git'), example);
    repo.commitAndPush(files, `${example} on docker`);
    const port = await freePort();
    const project = await api.post('/api/v1/projects', { name: `Auto ${example}`, git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const svc = await api.post(
      `/api/v1/projects/${project.body.data.id}/services`,
      { name: 'web', server_id: serverId, runtime: 'docker', port, health_check: { path: '/', interval_seconds: 1, timeout_seconds: 2, retries: 5 }, ...service },
      { token: owner.token },
    );
    expect(svc.status, JSON.stringify(svc.body)).toBe(201);
    const res = await api.post(`/api/v1/services/${svc.body.data.id}/deploy`, {}, { token: owner.token });
    const d = await waitFor(`${example} deployment`, async () => {
      const row = await api.get(`/api/v1/deployments/${res.body.data.id}?tail=300`, { token: owner.token });
      return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
    }, 150_000, 250);
    const log = d.logs.lines.map((l: { line: string }) => l.line).join('\n');
    expect(d.status, `${d.error_message}\n${log}`).toBe('running');
    return { serviceId: svc.body.data.id as string, port, log, deployment: d };
  }

  it('a Node app (package.json) runs from an image built on the node base image, with its CPU/memory limits on the container', async (t) => {
    if (skip()) return t.skip();
    const { serviceId, port, log, deployment } = await deployOnDocker('node-hello', { VERSION: 'docker-1\n' }, { cpu_limit: '0.5', memory_limit: '128m', health_check: { path: '/health', interval_seconds: 1, timeout_seconds: 2, retries: 5 } });
    expect(log).toContain('detected a node app; building it for the docker runtime from a generated Dockerfile');
    expect(log).toContain(`FROM ${NODE_BASE_IMAGE}`);
    expect(deployment.image_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).json()).toMatchObject({ message: 'Hello from Syntra', version: 'docker-1' });

    const docker = new Docker({ socketPath: socket() });
    const [container] = await docker.listContainers({ filters: { label: [`syntra.service_id=${serviceId}`] } });
    expect(container, 'the service runs as a container').toBeDefined();
    const info = await docker.getContainer(container!.Id).inspect();
    expect(info.HostConfig.NanoCpus).toBe(500_000_000);
    expect(info.HostConfig.Memory).toBe(128 * 1024 * 1024);
  }, 200_000);

  it('a static site is served by httpd in a small image, and a Procfile app runs its web command', async (t) => {
    if (skip()) return t.skip();
    const site = await deployOnDocker('static-site', {}, {});
    expect(site.log).toContain('detected a static app');
    expect(await (await fetch(`http://127.0.0.1:${site.port}/`)).text()).toContain('<h1>It works</h1>');

    const procfile = await deployOnDocker('static-site', { Procfile: 'web: node web.js\n', 'web.js': "require('http').createServer((q, s) => s.end('procfile web ' + process.env.PORT)).listen(process.env.PORT);\n" }, {});
    expect(procfile.log).toContain('detected a procfile app');
    // The app listens on the image's port; the edge's stable port reaches it.
    expect(await (await fetch(`http://127.0.0.1:${procfile.port}/`)).text()).toBe('procfile web 8080');
  }, 300_000);
});
