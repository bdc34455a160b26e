import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, testRedisUrl, type TestEnv } from '../support/test-env.js';
import { gitRemote } from './git-repo.js';
import { createProjectAndService, insertServer, RecordingGateway, waitFor } from './support.js';

let env: TestEnv;
let api: ApiClient;
let owner: Account;
let server: { id: string; token: string };
let workers: RunningWorkers | null = null;
const gateway = new RecordingGateway();

beforeAll(async () => {
  env = await startTestEnv();
  env.deps.services.deployments.useAgentGateway(gateway);
  // The stand-in agent: every deploy it receives becomes `running` straight away.
  gateway.onSend = (serverId, frame) => {
    if (frame.type !== 'deploy') return;
    const p = frame.payload;
    setTimeout(() => void env.deps.services.deployments.onDeployStatus(serverId, { request_id: p.request_id, deployment_id: p.deployment_id, status: 'running', message: null, duration_ms: 5 }), 50);
  };
  api = apiClient(env.url);
  owner = await registerAccount(api, 'faults');
  server = await insertServer(env, owner.orgId);
  gateway.connected.add(server.id);
});
afterAll(async () => {
  await workers?.close();
  await env.deps.services.deployments.queue.close();
  await env.close();
});

async function deployAndWait(serviceId: string) {
  const res = await api.post(`/api/v1/services/${serviceId}/deploy`, {}, { token: owner.token });
  expect(res.status).toBe(201);
  return waitFor(async () => {
    const d = await api.get(`/api/v1/deployments/${res.body.data.id}?tail=200`, { token: owner.token });
    return ['running', 'failed', 'cancelled'].includes(d.body.data.status) && d.body.data;
  }, 'deployment to finish');
}

describe('failures end as `failed` with a message that says why', () => {
  beforeAll(() => {
    workers = startWorkers(env.deps, { deployTimeoutMs: 20_000 });
  });
  afterAll(async () => {
    await workers?.close();
    workers = null;
  });

  it('bad git URL', async () => {
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: `file://${tempDir('nothing')}/missing.git` });
    const d = await deployAndWait(service.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toMatch(/Could not fetch the git repository file:\/\/.*missing\.git/);
    expect(gateway.sent.filter((s) => s.type === 'deploy' && (s.payload as { deployment_id: string }).deployment_id === d.id)).toEqual([]);
  });

  it('missing start command', async () => {
    const repo = gitRemote(tempDir('nostart'));
    repo.commitAndPush({ 'package.json': JSON.stringify({ name: 'x', version: '1.0.0' }), 'server.js': '' }, 'no start');
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url });
    const d = await deployAndWait(service.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toContain('Missing start command: looked for the service start_command, a Procfile "web:" line, a "start" script and "main" in package.json');
  });

  it('undetectable source, and a Dockerfile with no engine configured', async () => {
    const repo = gitRemote(tempDir('nothing'), 'dockerfile-app');
    fs.rmSync(path.join(repo.work, 'index.html'));
    repo.commitAndPush({}, 'only a Dockerfile');
    const auto = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url });
    const d = await deployAndWait(auto.service.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toContain('looked for package.json (Node), a Procfile with a "web:" line, and index.html (static site) (there is a Dockerfile: set the service source_type to "dockerfile")');
    const docker = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url }, { source_type: 'dockerfile' });
    const d2 = await deployAndWait(docker.service.id);
    expect(d2.status).toBe('failed');
    expect(d2.error_message).toContain('Dockerfile builds need a Docker-compatible engine');
  });

  it('a failing build command, with its output in the build log', async () => {
    const repo = gitRemote(tempDir('badbuild'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = 'echo compiling && exit 3';
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg) }, 'bad build');
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url });
    const d = await deployAndWait(service.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toContain('"sh -c npm run build" exited with 3');
    expect(d.logs.lines.some((l: { line: string }) => l.line === 'compiling')).toBe(true);
  });

  it('cancelling during the build stops it: the build command is killed and nothing is deployed', async () => {
    const repo = gitRemote(tempDir('cancel'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = 'echo long build started && sleep 60';
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg) }, 'long build');
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url });
    const res = await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: owner.token });
    const id = res.body.data.id as string;
    await waitFor(async () => env.db('deployment_logs').where({ deployment_id: id, line: 'long build started' }).first(), 'the build to start');
    const cancelled = await api.post(`/api/v1/deployments/${id}/cancel`, undefined, { token: owner.token });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', error_message: 'Cancelled by a user' });
    // The job ends without waiting out the 60 s build (its process group is killed).
    await waitFor(async () => (await env.deps.services.deployments.queue.jobState(id)) === 'completed', 'the build job to end', 30_000);
    expect((await env.db('deployments').where({ id }).first()).status).toBe('cancelled');
    expect(gateway.sent.filter((s) => s.type === 'deploy' && (s.payload as { deployment_id: string }).deployment_id === id)).toEqual([]);
  }, 60_000);

  it('a static site is detected and deployed', async () => {
    const repo = gitRemote(tempDir('static'), 'static-site');
    repo.commitAndPush({}, 'site');
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url });
    const d = await deployAndWait(service.id);
    expect(d.status).toBe('running');
    const frame = gateway.sent.find((s) => s.type === 'deploy' && (s.payload as { deployment_id: string }).deployment_id === d.id)!.payload as { start_command: string };
    expect(frame.start_command).toBe('syntra-static .');
  });
});

describe('a worker killed mid-build', () => {
  it('the build is retried by another worker and the deployment finishes (never stuck)', async () => {
    const repo = gitRemote(tempDir('slowbuild'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = 'echo building slowly && sleep 4';
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg) }, 'slow build');
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo.url });

    // node itself (with the tsx loader), so SIGKILL hits the worker and not a wrapper process.
    const dbUrl = env.config.databaseUrl!;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'worker-child.ts'), dbUrl, testRedisUrl(), env.url, env.config.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(async () => out.includes('worker ready'), `child worker to start (${out})`, 30_000);

    const res = await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: owner.token });
    const id = res.body.data.id as string;
    await waitFor(async () => (await env.db('deployments').where({ id }).first()).status === 'building' && (await env.db('deployment_logs').where({ deployment_id: id, line: 'building slowly' }).first()), 'the child to start building');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // A fresh worker picks the stalled job up once the dead worker's lock lapses.
    workers = startWorkers(env.deps, { deployTimeoutMs: 20_000, stalledIntervalMs: 1000, lockDurationMs: 1500 });
    const d = await waitFor(async () => {
      const row = await api.get(`/api/v1/deployments/${id}?tail=500`, { token: owner.token });
      return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
    }, 'the deployment to finish after the kill', 60_000);
    expect(d.status, `${d.error_message}\n${d.logs.lines.map((l: { line: string }) => l.line).join('\n')}`).toBe('running');
    expect(d.logs.lines.filter((l: { line: string }) => l.line === 'building slowly').length).toBe(2);
    // Deployed exactly once.
    expect(gateway.sent.filter((s) => s.type === 'deploy' && (s.payload as { deployment_id: string }).deployment_id === id)).toHaveLength(1);
  }, 120_000);
});
