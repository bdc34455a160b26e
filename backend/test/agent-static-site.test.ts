import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount } from './support/api-client.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir, waitFor } from './support/agent-env.js';
import { rawHttp, statusOf } from './support/raw-http.js';

/**
 * A real `syntra-agent` process serving a static site through its edge: the requests that used to
 * throw out of the site's request listener (and would have ended the agent with every service on
 * the host) are answered, and the process is still there afterwards.
 */
let env: RealtimeEnv;
let agent: AgentProcess;
let artifacts: http.Server;
let sitePort: number;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  env = await startRealtimeEnv();
  const api = apiClient(env.url);
  const owner = await registerAccount(api, 'static-agent');
  const created = await api.post('/api/v1/servers', { name: 'static-host' }, { token: owner.token, orgId: owner.orgId });
  const serverId = created.body.data.server.id as string;
  agent = await spawnAgent(env.url, created.body.data.agent_token);
  // Online in the database comes before the agent has read its hello_ack (frames before that are not for it yet).
  await waitFor('agent connected', () => agent.output().includes('"msg":"connected"'), 30_000);

  // The site's release: index.html at the root, a secret one level above it in the tarball.
  const src = tempDir('static-src');
  fs.mkdirSync(path.join(src, 'public'));
  fs.writeFileSync(path.join(src, 'public/index.html'), '<h1>static home</h1>');
  fs.writeFileSync(path.join(src, 'SECRET.txt'), 'RELEASE SECRET');
  const tarball = path.join(tempDir('static-tar'), 'site.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', src, '.']);
  const bytes = fs.readFileSync(tarball);
  artifacts = http.createServer((_req, res) => res.writeHead(200).end(bytes));
  await new Promise<void>((r) => artifacts.listen(0, '127.0.0.1', r));
  const artifactUrl = `http://127.0.0.1:${(artifacts.address() as net.AddressInfo).port}/site.tar.gz`;

  sitePort = await freePort();
  const serviceId = randomUUID();
  await env.deps.services.agentHub.send({
    serverId,
    type: 'deploy',
    name: null,
    payload: (requestId) => ({
      request_id: requestId, deployment_id: randomUUID(), service_id: serviceId,
      artifact: { kind: 'tarball', url: artifactUrl, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` },
      start_command: 'syntra-static public', port: sitePort, env: {}, replicas: 1, health_check: null, domains: [], limits: { cpu: null, memory: null },
    }),
    createdBy: null,
    waitMs: 0,
    online: true,
  });
  await waitFor('site served', async () => statusOf(await rawHttp(sitePort, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')) === 200, 30_000).catch((err: unknown) => {
    throw new Error(`${String(err)}; agent said: ${agent.output().slice(-2000)}`);
  });
}, 90_000);

afterAll(async () => {
  await agent?.stop();
  await new Promise((r) => artifacts?.close(r));
  await env?.close();
});

const get = async (target: string) => {
  const answer = await rawHttp(sitePort, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  return { status: statusOf(answer), answer };
};

describe('static site on a real agent', () => {
  it('bad percent-encodings, NUL and traversal are refused, and the agent keeps running', async () => {
    for (const target of ['/%E0%A4%A', '/%', '/%zz%zz']) expect((await get(target)).status, target).toBe(400);
    for (const target of ['/%00', '/index.html%00.txt']) expect((await get(target)).status, target).toBe(400);
    for (const target of ['/../SECRET.txt', '/%2e%2e/SECRET.txt', '/..%2fSECRET.txt', '/..%2f..%2f..%2f..%2fetc%2fpasswd', '../SECRET.txt']) {
      const res = await get(target);
      expect(res.status === null || res.status >= 400, `${target}: ${res.status}`).toBe(true);
      expect(res.answer).not.toMatch(/RELEASE SECRET|root:/);
    }
    expect(agent.child.exitCode).toBeNull();
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.answer).toContain('<h1>static home</h1>');
  });
});
