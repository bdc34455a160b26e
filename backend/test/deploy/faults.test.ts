import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/agent-env.js';
import { testRedisUrl } from '../support/test-env.js';
import { type AgentRig, deployAndWait, deploysSent, finished, logText, startAgentRig } from './agent-rig.js';
import { gitRemote } from './git-repo.js';
import { createProjectAndService, waitFor } from './support.js';

// Builds run on the service's server: a real agent builds here, the workers only orchestrate.
let rig: AgentRig;

beforeAll(async () => {
  rig = await startAgentRig({ tag: 'faults', workers: false });
}, 60_000);
afterAll(() => rig.close());

const service = (project: Record<string, unknown>, svc: Record<string, unknown> = {}) => createProjectAndService(rig.api, rig.owner, rig.server.id, project, svc);

describe('failures end as `failed` with a message that says why', () => {
  beforeAll(() => {
    rig.startWorkers({ deployTimeoutMs: 20_000 });
  });
  afterAll(async () => {
    await rig.workers?.close();
    rig.workers = null;
  });

  it('bad git URL', async () => {
    const { service: s } = await service({ git_repo_url: `file://${tempDir('nothing')}/missing.git` });
    const d = await deployAndWait(rig, s.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toMatch(/Could not fetch the git repository file:\/\/.*missing\.git/);
    expect(await deploysSent(rig, d.id)).toBe(0);
  });

  it('missing start command', async () => {
    const repo = gitRemote(tempDir('nostart'));
    repo.commitAndPush({ 'package.json': JSON.stringify({ name: 'x', version: '1.0.0' }), 'server.js': '' }, 'no start');
    const { service: s } = await service({ git_repo_url: repo.url });
    const d = await deployAndWait(rig, s.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toContain('Missing start command: looked for the service start_command, a Procfile "web:" line, a "start" script and "main" in package.json');
  });

  it('undetectable source, and a Dockerfile on a server whose agent has no engine', async () => {
    const repo = gitRemote(tempDir('nothing'), 'dockerfile-app');
    fs.rmSync(path.join(repo.work, 'index.html'));
    repo.commitAndPush({}, 'only a Dockerfile');
    const auto = await service({ git_repo_url: repo.url });
    const d = await deployAndWait(rig, auto.service.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toContain('looked for package.json (Node), a Procfile with a "web:" line, and index.html (static site) (there is a Dockerfile: set the service source_type to "dockerfile")');
    const docker = await service({ git_repo_url: repo.url }, { source_type: 'dockerfile' });
    const d2 = await deployAndWait(rig, docker.service.id);
    expect(d2.status).toBe('failed');
    expect(d2.error_message).toContain('Dockerfile builds need a Docker-compatible engine on this server');
    expect(d2.error_message).toContain('SYNTRA_DOCKER_SOCKET');
  });

  it('a failing build command, with its output in the build log', async () => {
    const repo = gitRemote(tempDir('badbuild'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = 'echo compiling && exit 3';
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg) }, 'bad build');
    const { service: s } = await service({ git_repo_url: repo.url });
    const d = await deployAndWait(rig, s.id);
    expect(d.status).toBe('failed');
    expect(d.error_message).toContain('"sh -c npm run build" exited with 3');
    expect(d.logs.lines.some((l: { line: string }) => l.line === 'compiling')).toBe(true);
  });

  it('cancelling during the build stops it: the agent kills the build command and nothing is deployed', async () => {
    const repo = gitRemote(tempDir('cancel'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = 'echo long build started && sleep 60 && echo finished anyway';
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg) }, 'long build');
    const { service: s } = await service({ git_repo_url: repo.url });
    const res = await rig.api.post(`/api/v1/services/${s.id}/deploy`, {}, { token: rig.owner.token });
    const id = res.body.data.id as string;
    await waitFor('the build to start', async () => rig.env.db('deployment_logs').where({ deployment_id: id, line: 'long build started' }).first(), 60_000);
    const cancelled = await rig.api.post(`/api/v1/deployments/${id}/cancel`, undefined, { token: rig.owner.token });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', error_message: 'Cancelled by a user' });
    // The job ends at once, and the agent's build dir goes away without waiting out the 60 s sleep.
    await waitFor('the build job to end', async () => (await rig.env.deps.services.deployments.queue.jobState(id)) === 'completed', 30_000);
    await waitFor('the agent to drop the cancelled build', async () => !fs.existsSync(path.join(rig.agent.dataDir, 'builds', id)), 30_000);
    expect((await rig.env.db('deployments').where({ id }).first())!.status).toBe('cancelled');
    expect(await deploysSent(rig, id)).toBe(0);
    expect(await rig.env.db('deployment_logs').where({ deployment_id: id, line: 'finished anyway' }).first()).toBeUndefined();
  }, 60_000);

  it('a static site is detected, built on the agent and deployed', async () => {
    const repo = gitRemote(tempDir('static'), 'static-site');
    repo.commitAndPush({}, 'site');
    const { service: s } = await service({ git_repo_url: repo.url });
    const d = await deployAndWait(rig, s.id);
    expect(d.status, logText(d)).toBe('running');
    const artifact = await rig.env.db('artifacts').where({ id: d.artifact_id }).first();
    expect(artifact).toMatchObject({ kind: 'tarball', start_command: 'syntra-static .', deployment_id: d.id });
    // The agent built it: its own deploy took the artifact from its cache, it never downloaded it back.
    const metrics = await (await fetch(`${rig.env.url}/metrics`)).text();
    expect(metrics).toMatch(/route="\/api\/v1\/artifacts\/uploads\/:deploymentId",status="201"/);
    expect(metrics).not.toMatch(/method="GET",route="\/api\/v1\/artifacts\/:artifactId"/);
  });
});

describe('a worker killed mid-build', () => {
  it('another worker takes the job over, the agent answers the build it already runs, and the deployment finishes (never stuck)', async () => {
    const repo = gitRemote(tempDir('slowbuild'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = 'echo building slowly && sleep 4';
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg) }, 'slow build');
    const { service: s } = await service({ git_repo_url: repo.url });

    // node itself (with the tsx loader), so SIGKILL hits the worker and not a wrapper process.
    const { env } = rig;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'worker-child.ts'), env.config.databaseUrl!, testRedisUrl(), env.url, env.config.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(`child worker to start (${out})`, async () => out.includes('worker ready'), 30_000);

    const res = await rig.api.post(`/api/v1/services/${s.id}/deploy`, {}, { token: rig.owner.token });
    const id = res.body.data.id as string;
    await waitFor('the child to start building', async () => (await env.db('deployments').where({ id }).first())!.status === 'building' && (await env.db('deployment_logs').where({ deployment_id: id, line: 'building slowly' }).first()), 60_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // A fresh worker picks the stalled job up once the dead worker's lock lapses.
    rig.startWorkers({ deployTimeoutMs: 20_000, stalledIntervalMs: 1000, lockDurationMs: 1500 });
    const d = await finished(rig, id, 60_000);
    expect(d.status, `${d.error_message}\n${logText(d)}`).toBe('running');
    // Built once (the agent kept building while the worker died), deployed exactly once.
    expect(d.logs.lines.filter((l: { line: string }) => l.line === 'building slowly').length).toBe(1);
    expect(await deploysSent(rig, id)).toBe(1);
  }, 120_000);
});
