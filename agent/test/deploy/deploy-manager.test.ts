import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeProxy } from '../../src/edge/index.js';
import { DeployManager } from '../../src/deploy/index.js';
import { ProcessInstanceRuntime } from '../../src/runtime/process-supervisor.js';
import { freePort } from '../../src/runtime/ports.js';
import { artifactServer, deployFrame, getJson, loadGenerator, nodeHelloTarball, StatusLog, tmpDir } from './support.js';
import { waitFor } from '../../../test-support/wait.js';

const TOKEN = 'agent-token-for-tests';
let dir: string;
let artifacts: Awaited<ReturnType<typeof artifactServer>>;
let edge: EdgeProxy;
let edgePort: number;
let manager: DeployManager;
const log = new StatusLog();

async function deployed(frame: ReturnType<typeof deployFrame>) {
  await manager.handleDeploy(frame);
  return log.final(frame.deployment_id)!;
}

beforeAll(async () => {
  dir = tmpDir('agent-deploy');
  artifacts = await artifactServer(TOKEN);
  edge = new EdgeProxy();
  edgePort = await edge.listenHttp(0, '127.0.0.1');
  manager = new DeployManager({
    baseUrl: artifacts.base,
    token: TOKEN,
    dataDir: dir,
    runtime: new ProcessInstanceRuntime({ baseBackoffMs: 100 }),
    edge,
    sender: {
      deployStatus: (s) => log.statuses.push(s),
      logStream: (b) => log.lines.push(...b.lines.map((l) => l.line)),
    },
    drainTimeoutMs: 5000,
  });
});
afterAll(async () => {
  await manager.close();
  await edge.close();
  await artifacts.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('process runtime deploys behind the edge', () => {
  const serviceId = crypto.randomUUID();
  let port: number;

  it('deploys v1 and serves it on the stable port and by domain', async () => {
    port = await freePort();
    const v1 = nodeHelloTarball(dir, 'v1');
    const frame = deployFrame({ service_id: serviceId, artifact: { kind: 'tarball', url: artifacts.add(v1.file), digest: v1.digest }, port, domains: ['hello.example.test'], env: { GREETING: 'hi there' } });
    const final = await deployed(frame);
    expect(final).toMatchObject({ status: 'running' });
    expect(log.statuses.filter((s) => s.deployment_id === frame.deployment_id).map((s) => s.status)).toEqual(['pulling', 'starting', 'health_checking', 'running']);
    expect((await getJson(`http://127.0.0.1:${port}/`)).body).toEqual({ message: 'hi there', version: 'v1' });
    expect((await getJson(`http://127.0.0.1:${edgePort}/`, 'hello.example.test')).body.version).toBe('v1');
    expect((await getJson(`http://127.0.0.1:${edgePort}/`, 'unknown.example.test')).status).toBe(404);
    expect(log.lines.some((l) => l.includes('node-hello v1 listening'))).toBe(true);
    // A redelivered deploy (reconnect) is answered, not run twice.
    await manager.handleDeploy({ ...frame, request_id: crypto.randomUUID() });
    expect(log.statuses.filter((s) => s.deployment_id === frame.deployment_id && s.status === 'running')).toHaveLength(2);
  });

  it('keeps the old version serving when the new one fails its health check', async () => {
    const bad = nodeHelloTarball(dir, 'v2', { brokenHealth: true });
    const frame = deployFrame({ service_id: serviceId, artifact: { kind: 'tarball', url: artifacts.add(bad.file), digest: bad.digest }, port, health_check: { path: '/health', interval: 1, timeout: 1, retries: 2 } });
    const final = await deployed(frame);
    expect(final.status).toBe('failed');
    expect(final.message).toContain('Health check failed');
    expect(final.message).toContain('HTTP 500');
    expect((await getJson(`http://127.0.0.1:${port}/`)).body.version).toBe('v1');
  });

  it('refuses an artifact whose digest does not match', async () => {
    const v = nodeHelloTarball(dir, 'v9');
    const frame = deployFrame({ service_id: serviceId, artifact: { kind: 'tarball', url: artifacts.add(v.file), digest: `sha256:${'0'.repeat(64)}` }, port });
    const final = await deployed(frame);
    expect(final.status).toBe('failed');
    expect(final.message).toContain('digest mismatch');
    expect((await getJson(`http://127.0.0.1:${port}/`)).body.version).toBe('v1');
  });

  it('switches to v3 under steady load without a failed request', async () => {
    const v3 = nodeHelloTarball(dir, 'v3');
    const load = loadGenerator(`http://127.0.0.1:${port}/`);
    await new Promise((r) => setTimeout(r, 300));
    const final = await deployed(deployFrame({ service_id: serviceId, artifact: { kind: 'tarball', url: artifacts.add(v3.file), digest: v3.digest }, port }));
    await new Promise((r) => setTimeout(r, 500));
    const stats = await load.stop();
    expect(final.status).toBe('running');
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThan(0);
    expect([...stats.versions].sort()).toEqual(['v1', 'v3']);
    expect((await getJson(`http://127.0.0.1:${port}/`)).body.version).toBe('v3');
  });

  it('restarts a crashed process with backoff, reporting it in the heartbeat view', async () => {
    const before = manager.services().find((s) => s.service_id === serviceId)!;
    const pid = manager.instance(serviceId)!.pid!()!;
    expect(pid).toBeGreaterThan(0);
    // Kill the app's process group (the one this test started): the supervisor brings it back.
    process.kill(-pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    const after = manager.services().find((s) => s.service_id === serviceId)!;
    expect(after.restarts).toBeGreaterThan(before.restarts);
    expect((await getJson(`http://127.0.0.1:${port}/`)).body.version).toBe('v3');
  });

  it('runs replicas: each one started and health-checked before traffic moves to them', async () => {
    const v4 = nodeHelloTarball(dir, 'v4');
    const final = await deployed(deployFrame({ service_id: serviceId, artifact: { kind: 'tarball', url: artifacts.add(v4.file), digest: v4.digest }, port, replicas: 3 }));
    expect(final.status).toBe('running');
    expect(log.lines.filter((l) => /^\[\d\/3\] node-hello v4 listening/.test(l)).sort()).toEqual(['[1/3]', '[2/3]', '[3/3]'].map((t) => expect.stringContaining(t)));
    const answers = await Promise.all(Array.from({ length: 9 }, () => getJson(`http://127.0.0.1:${port}/`)));
    expect(answers.every((a) => a.status === 200 && a.body.version === 'v4')).toBe(true);
    const usage = manager.services().find((s) => s.service_id === serviceId)!;
    expect(usage).toMatchObject({ state: 'running' });
    // Three node processes: tens of MB resident between them.
    expect(usage.memory_mb).toBeGreaterThan(30);
  });

  it('keeps health-checking the running version and reports it unhealthy, then healthy again', async () => {
    const sickFile = `${dir}/sick-${Date.now()}`;
    const v5 = nodeHelloTarball(dir, 'v5', { sickWhenFileExists: sickFile });
    const final = await deployed(deployFrame({ service_id: serviceId, artifact: { kind: 'tarball', url: artifacts.add(v5.file), digest: v5.digest }, port, health_check: { path: '/health', interval: 1, timeout: 1, retries: 2 } }));
    expect(final.status).toBe('running');
    const state = () => manager.services().find((s) => s.service_id === serviceId)!.state;
    expect(state()).toBe('running');
    fs.writeFileSync(sickFile, '');
    await waitFor('two failed health checks in a row', () => log.lines.some((l) => l.startsWith('health check failing (2 in a row')));
    expect(state()).toBe('unknown');
    fs.rmSync(sickFile);
    await waitFor('the health check to pass again', () => log.lines.some((l) => l.startsWith('health check passing again')));
    expect(state()).toBe('running');
  });

  it('service.restart starts fresh instances of the live deployment and keeps serving it; a service that is not running is refused', async () => {
    const oldPid = manager.instance(serviceId)!.pid!()!;
    const deploymentId = manager.currentDeployment(serviceId);
    const answer = await manager.restart(serviceId);
    expect(answer).toEqual({ deployment_id: deploymentId, replicas: 1 });
    expect(manager.instance(serviceId)!.pid!()).not.toBe(oldPid);
    expect(manager.currentDeployment(serviceId)).toBe(deploymentId);
    expect((await getJson(`http://127.0.0.1:${port}/`)).body.version).toBe('v5');
    await waitFor('the restart noted in the service log', () => log.lines.includes('restarted: traffic switched to the fresh instances'));
    // The old process is stopped once drained; the release it shared with the new one stays.
    await waitFor('the old instance to stop', () => { try { process.kill(oldPid, 0); return false; } catch { return true; } });
    expect((await getJson(`http://127.0.0.1:${port}/`)).body.version).toBe('v5');
    await expect(manager.restart(crypto.randomUUID())).rejects.toMatchObject({ code: 'not_running' });
  });
});
