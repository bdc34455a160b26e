import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineImageBuilder } from '../../src/build/image-builder.js';
import { buildEnv } from '../../src/build/run-command.js';
import { EngineApi } from '../../src/runtime/engine-api.js';
import { type Podman, BASE_IMAGE, startPodman } from '../../../test-support/podman.js';
import { EXAMPLES, tmpDir } from '../deploy/support.js';

let podman: Podman;
let dir: string;
const socket = () => (podman as { socket: string }).socket;

beforeAll(async () => {
  dir = tmpDir('agent-image-build');
  podman = await startPodman(dir);
  if ('skip' in podman) console.warn(`image builder tests skipped: ${podman.skip}`);
}, 60_000);
afterAll(async () => {
  if (!('skip' in podman)) await podman.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Dockerfile builds through the Docker Engine API (podman), from the agent', () => {
  const env = () => buildEnv(dir, path.dirname(process.execPath));

  it('builds the example Dockerfile app into an image and saves it as a loadable archive', async (t) => {
    if ('skip' in podman) return t.skip();
    const lines: string[] = [];
    const img = await new EngineImageBuilder(socket()).build({ contextDir: path.join(EXAMPLES, 'dockerfile-app'), dockerfile: 'Dockerfile', tag: 'syntra-test/agent-built:1', user: null, env: env(), onLine: (_s, l) => void lines.push(l) });
    expect(img.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines.join('\n')).toContain('COPY index.html');
    const info = await new EngineApi(socket()).json<{ Config: { ExposedPorts?: Record<string, unknown> } }>('GET', '/images/syntra-test%2Fagent-built:1/json');
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(['8080/tcp']);
    const archive = path.join(dir, 'image.tar');
    await new EngineImageBuilder(socket()).exportArchive(img.ref, archive);
    expect(execFileSync('tar', ['-tf', archive], { encoding: 'utf8' })).toMatch(/manifest\.json/);
  }, 120_000);

  it('fails a bad Dockerfile with the engine’s message', async (t) => {
    if ('skip' in podman) return t.skip();
    const ctx = tmpDir('bad-dockerfile');
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASE_IMAGE}\nRUN false\n`);
    await expect(new EngineImageBuilder(socket()).build({ contextDir: ctx, dockerfile: 'Dockerfile', tag: 'syntra-test/bad:1', user: null, env: env(), onLine: () => undefined })).rejects.toThrow(/Dockerfile build failed/);
  }, 120_000);
});
