import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployManager } from '../../src/deploy/index.js';
import { EdgeProxy } from '../../src/edge/index.js';
import { DockerInstanceRuntime } from '../../src/runtime/docker-runtime.js';
import { freePort } from '../../src/runtime/ports.js';
import { ProcessInstanceRuntime } from '../../src/runtime/process-supervisor.js';
import { type Podman, BASE_IMAGE, startPodman } from '../../../test-support/podman.js';
import { artifactServer, deployFrame, EXAMPLES, StatusLog, tmpDir } from './support.js';

const TOKEN = 'agent-token-for-archive-tests';
let podman: Podman;
let dir: string;

beforeAll(async () => {
  dir = tmpDir('agent-docker');
  podman = await startPodman(dir);
  if ('skip' in podman) console.warn(`docker runtime agent test skipped: ${podman.skip}`);
}, 60_000);
afterAll(async () => {
  if (!('skip' in podman)) await podman.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('docker runtime on an agent whose engine lacks the image', () => {
  it('downloads the image archive, checks its digest, loads it and serves the container behind the edge', async (t) => {
    if ('skip' in podman) return t.skip();
    const env = { ...process.env, CONTAINERS_CONF: path.join(dir, 'containers.conf') };
    const ref = `localhost/syntra-archive-test:${Date.now().toString(36)}`;
    execFileSync('podman', ['build', '-q', '--build-arg', `BASE=${BASE_IMAGE}`, '-t', ref, path.join(EXAMPLES, 'dockerfile-app')], { env, stdio: 'ignore' });
    const archive = path.join(dir, 'image.tar');
    execFileSync('podman', ['save', '-o', archive, ref], { env, stdio: 'ignore' });
    execFileSync('podman', ['untag', ref], { env, stdio: 'ignore' });
    const digest = `sha256:${createHash('sha256').update(fs.readFileSync(archive)).digest('hex')}`;

    const artifacts = await artifactServer(TOKEN);
    const edge = new EdgeProxy();
    const log = new StatusLog();
    const manager = new DeployManager({
      baseUrl: artifacts.base,
      token: TOKEN,
      dataDir: path.join(dir, 'agent'),
      runtime: new ProcessInstanceRuntime(),
      imageRuntime: new DockerInstanceRuntime((podman as { socket: string }).socket),
      edge,
      sender: { deployStatus: (s) => log.statuses.push(s), logStream: (b) => log.lines.push(...b.lines.map((l) => l.line)) },
    });
    try {
      const port = await freePort();
      const frame = deployFrame({ service_id: crypto.randomUUID(), artifact: { kind: 'image', ref, url: artifacts.add(archive), digest }, start_command: null, port, health_check: { path: '/', interval: 1, timeout: 2, retries: 5 } });
      await manager.handleDeploy(frame);
      const final = log.final(frame.deployment_id)!;
      expect(final.status, `${final.message}\n${log.lines.join('\n')}`).toBe('running');
      expect(log.lines).toContain(`image ${ref} loaded from its archive`);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('Built from a Dockerfile by Syntra');

      // A tampered archive is refused before it reaches the engine.
      const other = deployFrame({ service_id: crypto.randomUUID(), artifact: { kind: 'image', ref: `${ref}-missing`, url: artifacts.add(archive), digest: `sha256:${'1'.repeat(64)}` }, start_command: null, port: await freePort() });
      await manager.handleDeploy(other);
      expect(log.final(other.deployment_id)!.message).toContain('digest mismatch');
    } finally {
      await manager.close();
      await edge.close();
      await artifacts.close();
      try {
        execFileSync('podman', ['rmi', '-f', ref], { env, stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
  }, 120_000);
});
