import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir } from '../support/agent-env.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { gitRemote } from './git-repo.js';
import { waitFor } from './support.js';

// The agent runs as root here (as the control plane's local agent always does): its build steps must
// run as an unprivileged user who reaches none of the control plane's or the agent's secrets.
const asRoot = process.getuid?.() === 0;
const SECRET_KEY = randomBytes(32).toString('hex');
const FAKE_DB_URL = `postgres://syntra:${randomBytes(8).toString('hex')}@127.0.0.1:5432/syntra`;

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let workers: RunningWorkers;
let agent: AgentProcess;
let agentToken: string;
let cpData: string;
let serverId: string;

beforeAll(async () => {
  cpData = tempDir('cp-data');
  fs.writeFileSync(path.join(cpData, 'secret.key'), `${SECRET_KEY}\n`, { mode: 0o600 });
  env = await startRealtimeEnv({ SYNTRA_DATA_DIR: cpData });
  workers = startWorkers(env.deps, { deployTimeoutMs: 60_000 });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'isolation');
  const created = await api.post('/api/v1/servers', { name: 'local-like' }, { token: owner.token, orgId: owner.orgId });
  serverId = created.body.data.server.id;
  agentToken = created.body.data.agent_token;
  // Like the local agent, this one inherits a control plane's environment: none of it may reach a build.
  const agentData = path.join(cpData, 'local-agent-data');
  fs.mkdirSync(agentData, { mode: 0o755 });
  agent = await spawnAgent(env.url, agentToken, agentData, {
    DATABASE_URL: FAKE_DB_URL,
    SYNTRA_SECRET_KEY: SECRET_KEY,
    SYNTRA_AGENT_TOKEN: agentToken,
    SYNTRA_DATA_DIR: cpData,
  });
  await waitFor('agent online', async () => (await env.db('servers').where({ id: serverId }).first())?.status === 'online', 30_000);
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await workers?.close();
  await env.deps.services.deployments.queue.close();
  await env.close();
});

describe.skipIf(!asRoot)('a build step on a root agent', () => {
  it('cannot read the secret key, the agent token or config, the data dirs or any of the agent’s environment', async () => {
    const probe = [
      'id',
      `cat ${cpData}/secret.key`,
      `cat ${agent.dataDir}/config.json`,
      `cat ${agent.dataDir}/agent-id`,
      `ls -la ${agent.dataDir}`,
      `ls -la ${cpData}/artifacts`,
      'env',
      "cat /proc/*/environ | tr '\\000' '\\n'",
    ]
      .map((c) => `(${c}) 2>&1`)
      .join('; ');
    const repo = gitRemote(tempDir('isolation-git'));
    const pkg = JSON.parse(repo.read('package.json'));
    pkg.scripts.build = `{ ${probe}; } | tee leaked.txt; exit 0`;
    repo.commitAndPush({ 'package.json': JSON.stringify(pkg, null, 2) }, 'a build that looks around');
    const project = await api.post('/api/v1/projects', { name: 'Nosy', git_repo_url: repo.url }, { token: owner.token, orgId: owner.orgId });
    const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: serverId }, { token: owner.token });
    const res = await api.post(`/api/v1/services/${service.body.data.id}/deploy`, {}, { token: owner.token });
    const d = await waitFor('the deployment to finish', async () => {
      const row = await api.get(`/api/v1/deployments/${res.body.data.id}?tail=2000`, { token: owner.token });
      return ['running', 'failed'].includes(row.body.data.status) && row.body.data;
    }, 90_000);
    const log = d.logs.lines.map((l: { line: string }) => l.line).join('\n');
    expect(d.status, log).toBe('running');

    // The probe did run, as nobody, with the build's own minimal environment…
    expect(log).toMatch(/uid=\d+\((nobody|syntra-build)\)/);
    expect(log).toContain(`secret.key: Permission denied`);
    expect(log).toMatch(new RegExp(`ls: cannot open directory '?${agent.dataDir}'?: Permission denied`));
    expect(log).toMatch(/^HOME=.*\/builds\/.*\/home$/m);

    // …and nothing secret came out of it, in the log or in the artifact.
    const stored = await env.db('artifacts').where({ id: d.artifact_id }).first();
    const artifact = execFileSync('tar', ['-xzOf', path.join(cpData, 'artifacts', stored!.storage_key!), './leaked.txt'], { encoding: 'utf8' });
    expect(artifact).toContain('Permission denied');
    for (const [what, text] of [['log', log], ['artifact', artifact]] as const) {
      expect(text, `${what}: secret key`).not.toContain(SECRET_KEY);
      expect(text, `${what}: agent token`).not.toContain(agentToken);
      expect(text, `${what}: database URL`).not.toContain(FAKE_DB_URL);
      expect(text, `${what}: test database URL`).not.toContain(env.config.databaseUrl!);
      expect(text, `${what}: SYNTRA_ variables`).not.toMatch(/SYNTRA_\w*=/);
      expect(text, `${what}: DATABASE_URL`).not.toMatch(/DATABASE_URL=/);
    }
    // The deploy key file and the build directory are gone with the build.
    expect(fs.readdirSync(path.join(agent.dataDir, 'builds'))).toEqual([]);
  }, 120_000);
});
