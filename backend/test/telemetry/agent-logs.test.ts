import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../src/db/clickhouse/index.js';
import { attachRealtime } from '../../src/realtime.js';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { gitRemote } from '../deploy/git-repo.js';
import { waitFor } from '../deploy/support.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { teardown } from '../support/teardown.js';

// The example app plus a ticker: a numbered line every 50 ms (plain text) and a JSON error line
// every tenth, so a gap or a double is visible in the numbers.
const TICKER = `import './server.js';
let n = 0;
setInterval(() => {
  n += 1;
  if (n % 10 === 0) console.error(JSON.stringify({ level: 'error', msg: 'tick failed', n, trace_id: '${'ab'.repeat(16)}' }));
  else console.log(\`WARN tick \${n}\`);
}, 50);
`;

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let workers: RunningWorkers;
let agent: AgentProcess | null = null;

beforeAll(async () => {
  env = await startRealtimeEnv();
  workers = startWorkers(env.deps, { deployTimeoutMs: 90_000 });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'agent-logs');
});
afterAll(() =>
  teardown([
    ['agent', () => agent?.stop()],
    ['workers', () => workers.close()],
    ['deployments queue', () => env.deps.services.deployments.queue.close()],
    ['test env', () => env.close()],
  ], 12_000),
);

interface TickRow {
  n: string;
  Body: string;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  DeploymentId: string;
  TraceId: string;
  stream: string;
}

const ticks = (serviceId: string) =>
  selectRows<TickRow>(
    env.clickhouse,
    `SELECT toUInt64(extract(Body, '(\\\\d+)\\\\D*$')) AS n, Body, SeverityText, SeverityNumber, ServiceName, DeploymentId, TraceId, LogAttributes['log.iostream'] AS stream
     FROM otel_logs WHERE OrgId = {org:UUID} AND ServiceId = {service:UUID} AND Body LIKE '%tick%' ORDER BY Timestamp`,
    { org: owner.orgId, service: serviceId },
  );

describe("agents' service logs in ClickHouse", () => {
  it("a deployed example's stdout/stderr appear with the deployment id and severity; nothing is lost or doubled across an outage", async () => {
    const created = await api.post('/api/v1/servers', { name: 'logs' }, { token: owner.token, orgId: owner.orgId });
    const serverId = created.body.data.server.id as string;
    agent = await spawnAgent(env.url, created.body.data.agent_token as string);
    await waitFor('agent online', async () => (await env.db('servers').where({ id: serverId }).first())?.status === 'online', 30_000);

    const repo = gitRemote(tempDir('agent-logs-git'));
    repo.commitAndPush({ 'ticker.js': TICKER }, 'ticker');
    const project = await api.post('/api/v1/projects', { name: 'Logs', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'ticker', server_id: serverId, start_command: 'node ticker.js', health_check: { path: '/health', interval_seconds: 1, timeout_seconds: 2, retries: 3 } }, { token: owner.token });
    const serviceId = service.body.data.id as string;
    const deploy = await api.post(`/api/v1/services/${serviceId}/deploy`, {}, { token: owner.token });
    const deploymentId = deploy.body.data.id as string;
    const d = await waitFor('running', async () => {
      const row = (await api.get(`/api/v1/deployments/${deploymentId}?tail=50`, { token: owner.token })).body.data;
      return ['running', 'failed'].includes(row.status) && row;
    }, 90_000);
    expect(d.status, d.error_message).toBe('running');

    // The app's output, through the seed's API and in otel_logs with what the line says about itself.
    const api1 = await waitFor('ticks in the logs', async () => {
      const res = await api.get(`/api/v1/services/${serviceId}/logs?tail=200`, { token: owner.token });
      return res.body.data.filter((l: { line: string }) => l.line.includes('tick')).length >= 20 && res.body.data;
    }, 30_000);
    expect(api1.find((l: { line: string }) => l.line.includes('listening'))).toMatchObject({ deployment_id: deploymentId, stream: 'stdout' });
    const early = await ticks(serviceId);
    expect(early.find((r) => r.Body.startsWith('WARN'))).toMatchObject({ ServiceName: 'ticker', DeploymentId: deploymentId, SeverityText: 'WARN', SeverityNumber: 13, stream: 'stdout' });
    expect(early.find((r) => r.Body.includes('tick failed'))).toMatchObject({ SeverityText: 'ERROR', SeverityNumber: 17, stream: 'stderr', TraceId: 'ab'.repeat(16) });

    // The control plane goes away for a while; the app keeps printing and the agent keeps its lines on disk.
    await env.stopRealtime();
    const maxTick = async () => Math.max(...(await ticks(serviceId)).map((r) => Number(r.n)));
    const beforeOutage = await maxTick();
    await new Promise((r) => setTimeout(r, 3000));
    // Nothing reached us meanwhile (~60 lines were printed): what arrives next comes from the agent's buffer.
    expect(await maxTick()).toBeLessThan(beforeOutage + 20);
    const realtime = await attachRealtime(env.server, env.deps);
    env.stopRealtime = () => realtime.stop();

    // Every tick printed during the outage arrives, each once: the numbers run without a gap or a double.
    const all = await waitFor('the outage drained', async () => {
      const rows = await ticks(serviceId);
      const max = Math.max(...rows.map((r) => Number(r.n)));
      return max > beforeOutage + 80 && rows;
    }, 60_000);
    const numbers = all.map((r) => Number(r.n)).sort((a, b) => a - b);
    expect(new Set(numbers).size, 'no line stored twice').toBe(numbers.length);
    expect(numbers.at(-1)! - numbers[0]! + 1, 'no line lost').toBe(numbers.length);
    expect(numbers[0]).toBe(1);
    expect(all.every((r) => r.DeploymentId === deploymentId)).toBe(true);
  }, 240_000);
});
