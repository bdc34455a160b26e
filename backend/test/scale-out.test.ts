import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openClickHouse } from '../src/db/clickhouse/index.js';
import { createDb } from '../src/db/knex.js';
import { freePort } from '../src/embedded/free-port.js';
import { gitRemote } from './deploy/git-repo.js';
import { type AgentProcess, collect, spawnAgent, tempDir, waitFor } from './support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from './support/api-client.js';
import { hostSamples } from './support/clickhouse.js';
import { clickhouseEnvFor } from './support/clickhouse-http-stand-in.js';
import { startSyntraProcess, type SyntraProcess } from './support/syntra-process.js';
import { startTcpBalancer, type TcpBalancer } from './support/tcp-balancer.js';
import { createTestDatabase, testRedisUrl } from './support/test-env.js';

/**
 * The scale-out topology, for real: 2 × `syntra api` + 2 × `syntra worker` from the compiled release,
 * on one PostgreSQL and one Redis, with a TCP balancer standing in for the load balancer agents dial.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let balancer: TcpBalancer;
const apis: SyntraProcess[] = [];
const workers: SyntraProcess[] = [];
let agent: AgentProcess | undefined;
let api1: ApiClient;
let api2: ApiClient;
let owner: Account;
let serverId: string;
let serviceId: string;
let appPort: number;
let repo: ReturnType<typeof gitRemote>;
const ports: number[] = [];
let clickhouse: Awaited<ReturnType<typeof clickhouseEnvFor>>;

const deployment = (api: ApiClient, id: string) => api.get(`/api/v1/deployments/${id}?tail=500`, { token: owner.token }).then((r) => r.body.data);
const finished = (api: ApiClient, id: string, ms = 150_000) =>
  waitFor(`deployment ${id}`, async () => {
    const d = await deployment(api, id);
    return ['running', 'failed', 'cancelled'].includes(d.status) && d;
  }, ms);

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { min: 0, max: 2 });
  ports.push(await freePort(), await freePort());
  balancer = await startTcpBalancer(ports);
  // Every node shares the stores, the secret key and (for the artifact files) one data dir; agents and
  // links use the balancer's address, as they would a load balancer's.
  // Telemetry through one ClickHouse (the test's HTTP stand-in), as every node of a real scale-out shares one.
  clickhouse = await clickhouseEnvFor(database.url);
  const shared = {
    ...clickhouse,
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    SYNTRA_SECRET_KEY: 'c'.repeat(64),
    SYNTRA_DATA_DIR: tempDir('scale-out-data'),
    PUBLIC_URL: balancer.url,
    SYNTRA_SIGNUP: 'open',
    SYNTRA_REGISTER_LIMIT_PER_IP: '100000',
    SYNTRA_LOGIN_LIMIT_PER_IP: '100000',
    SYNTRA_AGENT_HEARTBEAT_SECONDS: '0.5',
    SYNTRA_AGENT_TELEMETRY_SECONDS: '1',
    // A dead worker's job is taken over once its lock lapses: short here so the test does not wait 30 s.
    SYNTRA_JOB_LOCK_SECONDS: '5',
  };
  for (const port of ports) {
    const url = `http://127.0.0.1:${port}`;
    apis.push(await startSyntraProcess('api', { ...shared, PORT: String(port), HOST: '127.0.0.1' }, () => fetch(`${url}/readyz`).then((r) => r.ok, () => false)));
  }
  for (let i = 0; i < 2; i += 1) workers.push(await startSyntraProcess('worker', { ...shared, LOG_LEVEL: 'info' }, (out) => out.includes('worker started')));
  api1 = apiClient(`http://127.0.0.1:${ports[0]}`);
  api2 = apiClient(`http://127.0.0.1:${ports[1]}`);
  owner = await registerAccount(api2, 'scale');
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  for (const p of [...workers, ...apis]) {
    if (p.child.signalCode === 'SIGSTOP') p.child.kill('SIGCONT');
    await p.stop();
  }
  await balancer?.close();
  await db?.destroy();
  await database?.drop();
});

describe('2 api + 2 worker processes on one PostgreSQL and Redis', () => {
  it('an agent on api-1 comes online for a console stream on api-2', async () => {
    const stream = new WebSocket(`ws://127.0.0.1:${ports[1]}/api/v1/stream`, { headers: { authorization: `Bearer ${owner.token}` } });
    const events = collect(stream);
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
    stream.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    await waitFor('subscribed', () => events.find((m) => m.type === 'subscribed'));

    const created = await api2.post('/api/v1/servers', { name: 'scale-out' }, { token: owner.token, orgId: owner.orgId });
    serverId = created.body.data.server.id;
    agent = await spawnAgent(balancer.url, created.body.data.agent_token);
    const online = await waitFor('server.status online on api-2', () => events.find((m) => m.type === 'server.status' && m.data.server_id === serverId && m.data.status === 'online'), 30_000);
    expect(online).toMatchObject({ org_id: owner.orgId });
    // The balancer sends every connection to the first live node: the agent's socket is on api-1.
    expect(balancer.accepted.every((p) => p === ports[0])).toBe(true);
    stream.close();
  }, 60_000);

  it('a deploy triggered on api-2 is built through a worker and reaches the agent through api-1', async () => {
    repo = gitRemote(tempDir('scale-out-git'));
    repo.commitAndPush({ VERSION: 'v1\n' }, 'v1');
    appPort = await freePort();
    const project = await api2.post('/api/v1/projects', { name: 'Scaled', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const service = await api2.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: serverId, port: appPort, health_check: { path: '/health', interval_seconds: 1 } }, { token: owner.token });
    serviceId = service.body.data.id;
    const res = await api2.post(`/api/v1/services/${serviceId}/deploy`, {}, { token: owner.token });
    const d = await finished(api2, res.body.data.id);
    expect(d.status, d.error_message).toBe('running');
    expect(await (await fetch(`http://127.0.0.1:${appPort}/`)).json()).toMatchObject({ version: 'v1' });
  }, 180_000);

  it('a worker killed mid-build: the other one finishes the deploy, which never stays building', async () => {
    // A build that lasts a few seconds, so there is a "mid" to kill the worker in.
    const pkg = JSON.parse(repo.read('package.json')) as { scripts: Record<string, string> };
    pkg.scripts.build = 'sleep 6';
    repo.commitAndPush({ VERSION: 'v2\n', 'package.json': JSON.stringify(pkg, null, 2) }, 'v2: slow build');
    // Only worker-1 may take the job: worker-2 is frozen until worker-1 is dead.
    workers[1]!.child.kill('SIGSTOP');
    const res = await api2.post(`/api/v1/services/${serviceId}/deploy`, {}, { token: owner.token });
    await waitFor('the build to start', async () => (await deployment(api1, res.body.data.id)).status === 'building' && (await deployment(api1, res.body.data.id)).logs.lines.some((l: { line: string }) => /sleep 6|npm run build/.test(l.line)), 60_000);
    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;
    workers[1]!.child.kill('SIGCONT');
    const d = await finished(api1, res.body.data.id);
    expect(d.status, d.error_message).toBe('running');
    expect(await (await fetch(`http://127.0.0.1:${appPort}/`)).json()).toMatchObject({ version: 'v2' });
  }, 240_000);

  it('api-1 killed: the agent reconnects through the balancer to api-2; nothing sent meanwhile is lost or applied twice', async () => {
    const before = await deployment(api2, (await db('services').where({ id: serviceId }).first())!.current_deployment_id!);
    apis[0]!.child.kill('SIGKILL');
    await apis[0]!.exited;
    // Sent while the agent has no socket: kept in PostgreSQL and handed over in hello_ack on api-2.
    const command = await api2.post(`/api/v1/servers/${serverId}/commands`, { name: 'host.info', args: {}, wait_ms: 0 }, { token: owner.token });
    expect(command.status, JSON.stringify(command.body)).toBeLessThan(300);
    await waitFor('agent back online through api-2', async () => balancer.accepted.includes(ports[1]!) && (await db('servers').where({ id: serverId }).first())!.status === 'online', 60_000);
    const answered = await waitFor('the queued command answered', async () => {
      const c = (await api2.get(`/api/v1/servers/${serverId}/commands/${command.body.data.id}`, { token: owner.token })).body.data;
      return c.status === 'answered' && c;
    }, 30_000);
    expect(answered).toMatchObject({ ok: true });
    expect((await db('agent_commands').where({ id: command.body.data.id }).first())!.delivery_count, 'delivered once').toBe(1);

    // Telemetry keeps flowing, and a batch resent after the cut is stored once: one host sample per instant.
    const seqBefore = Number((await db('servers').where({ id: serverId }).first())!.telemetry_acked_seq);
    await waitFor('telemetry through api-2', async () => Number((await db('servers').where({ id: serverId }).first())!.telemetry_acked_seq) > seqBefore + 1, 30_000);
    const telemetry = await openClickHouse({ url: clickhouse.CLICKHOUSE_URL, database: clickhouse.CLICKHOUSE_DATABASE });
    try {
      const samples = await hostSamples(telemetry, serverId);
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.filter((s) => s.copies !== 1)).toEqual([]);
    } finally {
      await telemetry.close();
    }

    // The running deployment is handed to the agent again (desired state) and stays as it was.
    const after = await deployment(api2, before.id);
    expect(after).toMatchObject({ status: 'running', finished_at: before.finished_at });
    expect(await (await fetch(`http://127.0.0.1:${appPort}/`)).json()).toMatchObject({ version: 'v2' });
  }, 120_000);
});
