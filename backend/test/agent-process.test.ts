import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Account, type ApiClient, apiClient, registerAccount } from './support/api-client.js';
import { type AgentProcess, collect, type RealtimeEnv, spawnAgent, startRealtimeEnv, tempDir, waitFor } from './support/agent-env.js';
import { hostSamples } from './support/clickhouse.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  // 1 s heartbeats: a loaded CI machine must not miss three of them by accident.
  env = await startRealtimeEnv({ SYNTRA_AGENT_HEARTBEAT_SECONDS: '1' });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'agentproc');
});
afterAll(async () => {
  for (const a of agents) await a.stop('SIGKILL');
  await env.close();
});

async function newServer(name: string) {
  const res = await api.post('/api/v1/servers', { name }, { token: owner.token, orgId: owner.orgId });
  return res.body.data as { server: { id: string }; agent_token: string; install_command: string };
}
const getServer = async (id: string) => (await api.get(`/api/v1/servers/${id}`, { token: owner.token })).body.data;

function openStream(token: string) {
  const ws = new WebSocket(`${env.url.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
  const messages = collect(ws);
  return { ws, messages, opened: new Promise((r) => ws.once('open', r)) };
}

describe('a real syntra-agent process against the backend', () => {
  it('comes online with real host facts, sends metrics, goes offline when silent and online again after a reconnect', async () => {
    const { server, agent_token } = await newServer('real');
    const stream = openStream(owner.token);
    await stream.opened;
    stream.ws.send(JSON.stringify({ type: 'subscribe', org_id: owner.orgId }));
    await waitFor('subscribed', () => stream.messages.find((m) => m.type === 'subscribed'));

    const started = Date.now();
    const agent = await spawnAgent(env.url, agent_token);
    agents.push(agent);
    const online = await waitFor('online', async () => {
      const s = await getServer(server.id);
      return s.status === 'online' && s;
    });
    console.log(`agent online ${Date.now() - started} ms after its process started`);
    expect(online.hostname).toBe((await import('node:os')).hostname());
    expect(online.cpu_cores).toBeGreaterThan(0);
    expect(online.memory_mb).toBeGreaterThan(0);
    expect(online.agent_version).toBe('0.1.0');
    expect(online.runtime).toBe('process');

    // Metrics arrive: on the server, in the metrics route and on the stream.
    const withUsage = await waitFor('usage', async () => {
      const s = await getServer(server.id);
      return s.usage && s;
    });
    expect(withUsage.usage.memory_used_mb).toBeGreaterThan(0);
    expect(withUsage.usage.load_avg).toHaveLength(3);
    const metrics = await api.get(`/api/v1/servers/${server.id}/metrics?step=1`, { token: owner.token });
    expect(metrics.body.data.points.length).toBeGreaterThan(0);
    await waitFor('server.metrics event', () => stream.messages.find((m) => m.type === 'server.metrics' && m.data.server_id === server.id));
    expect(stream.messages.find((m) => m.type === 'server.status' && m.data.server_id === server.id)).toMatchObject({ org_id: owner.orgId, data: { status: 'online' } });

    // A command reaches it and it answers; a name it does not know is rejected by the agent.
    const info = await api.post(`/api/v1/servers/${server.id}/commands`, { name: 'host.info' }, { token: owner.token });
    expect(info.body.data).toMatchObject({ status: 'answered', ok: true });
    expect(info.body.data.data.agent_pid).toBe(agent.child.pid);
    const unknown = await api.post(`/api/v1/servers/${server.id}/commands`, { name: 'host.reformat_disk' }, { token: owner.token });
    expect(unknown.body.data).toMatchObject({ status: 'answered', ok: false, error: { code: 'unknown_command' } });

    // Frozen: no frames for 3 intervals → offline (the socket itself stays open).
    agent.child.kill('SIGSTOP');
    await waitFor('offline', async () => (await getServer(server.id)).status === 'offline');
    await waitFor('server.status offline event', () => stream.messages.find((m) => m.type === 'server.status' && m.data.status === 'offline'));
    agent.child.kill('SIGCONT');
    await waitFor('online after resuming', async () => (await getServer(server.id)).status === 'online');

    // Killed and started again: it reconnects to the same server row.
    await agent.stop('SIGKILL');
    await waitFor('offline after kill', async () => (await getServer(server.id)).status === 'offline');
    const again = await spawnAgent(env.url, agent_token, agent.dataDir);
    agents.push(again);
    await waitFor('online after restart', async () => (await getServer(server.id)).status === 'online');
    expect(await env.db('servers').where({ org_id: owner.orgId, name: 'real' })).toHaveLength(1);

    // Graceful shutdown says goodbye: offline at once. (On a saturated machine the new agent's
    // heartbeats can miss their window right after it reconnects, which takes it offline by itself:
    // the goodbye is judged from an online server, by the status changes after it was sent.)
    await waitFor('online before the goodbye', async () => (await getServer(server.id)).status === 'online');
    const before = await env.db('server_status_events').where({ server_id: server.id }).max<{ max: number | null }[]>({ max: 'id' });
    expect(await again.stop('SIGTERM')).toBe(0);
    await waitFor('offline after SIGTERM', async () => (await getServer(server.id)).status === 'offline');
    const reasons = (await env.db('server_status_events').where({ server_id: server.id }).where('id', '>', before[0]?.max ?? 0).orderBy('id')).map((e) => e.reason);
    expect(reasons).toContain('agent_shutdown');
    stream.ws.close();
  });

  it('keeps host samples taken while disconnected on disk and delivers them after reconnecting', async () => {
    const { server, agent_token } = await newServer('buffered');
    const agent = await spawnAgent(env.url, agent_token);
    agents.push(agent);
    // A heartbeat means the agent has its hello_ack (and the test config's 1 s telemetry interval).
    await waitFor('first heartbeat', async () => (await getServer(server.id)).last_heartbeat_at !== null);
    // The control plane goes away: the agent buffers samples as telemetry batches on disk.
    await Promise.race([env.stopRealtime(), new Promise((_, reject) => setTimeout(() => reject(new Error('the hub did not stop within 15 s')), 15_000))]);
    await waitFor('batches on disk', () => fs.existsSync(path.join(agent.dataDir, 'telemetry')) && fs.readdirSync(path.join(agent.dataDir, 'telemetry')).some((f) => f.endsWith('.json')), 40_000).catch((err: Error) => {
      throw new Error(`${err.message}; agent output:\n${agent.output().slice(-3000)}`);
    });
    await agent.stop('SIGTERM');
    const before = (await hostSamples(env.clickhouse, server.id)).length;
    expect(fs.readdirSync(path.join(agent.dataDir, 'telemetry')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    // Restart the hub, then the agent from the same data dir: it sends the batches and drops them once acked.
    const { attachRealtime } = await import('../src/realtime.js');
    const realtime = await attachRealtime(env.server, env.deps);
    env.stopRealtime = () => realtime.stop();
    const back = await spawnAgent(env.url, agent_token, agent.dataDir);
    agents.push(back);
    await waitFor('buffer drained', () => fs.readdirSync(path.join(agent.dataDir, 'telemetry')).filter((f) => f.endsWith('.json')).length === 0, 20_000);
    expect((await hostSamples(env.clickhouse, server.id)).length).toBeGreaterThan(before);
    await back.stop('SIGTERM');
  }, 90_000); // loaded CI machines: each wait below has its own deadline and says what it waited for

  it('install.sh downloads the agent from the backend, writes a 0600 config and starts it', async () => {
    const { server, agent_token, install_command } = await newServer('installed');
    expect(install_command).toContain('/install.sh | sudo sh -s -- --url');
    const script = await (await fetch(`${env.url}/install.sh`)).text();
    expect(script.startsWith('#!/bin/sh')).toBe(true);
    const root = tempDir('install-root');
    const scriptFile = path.join(root, 'install.sh');
    fs.writeFileSync(scriptFile, script);
    // Async: the script downloads the agent from this very process.
    const { stdout: out } = await promisify(execFile)('sh', [scriptFile, '--url', env.url, '--token', agent_token, '--root', root, '--no-systemd'], { encoding: 'utf8', cwd: root, env: { ...process.env, SYNTRA_NODE: process.execPath } });
    expect(out).toContain('Syntra agent started');
    // Native modules (node-pty for terminals, bufferutil) land beside the agent, where it loads them from.
    expect(out).toContain('Native modules installed');
    const ptyDir = path.join(root, 'opt/syntra-agent/node_modules/@lydell');
    expect(fs.existsSync(path.join(ptyDir, 'node-pty/package.json'))).toBe(true);
    expect(fs.existsSync(path.join(ptyDir, `node-pty-${process.platform}-${process.arch}/pty.node`))).toBe(true);
    const ptyCheck = `const pty = require('node:module').createRequire(${JSON.stringify(path.join(root, 'opt/syntra-agent/agent.js'))})('@lydell/node-pty');
      const p = pty.spawn('/bin/sh', ['-c', 'echo pty-ok'], {}); p.onData((d) => process.stdout.write(d));`;
    const { stdout: ptyOut } = await promisify(execFile)(process.execPath, ['-e', ptyCheck], { cwd: root, encoding: 'utf8' });
    expect(ptyOut).toContain('pty-ok');
    // bufferutil loads its native build there (its JavaScript fallback would hide a missing binary).
    const maskCheck = `const r = require('node:module').createRequire(${JSON.stringify(path.join(root, 'opt/syntra-agent/agent.js'))});
      const native = r('node-gyp-build')(require('node:path').dirname(r.resolve('bufferutil/package.json')));
      const out = Buffer.alloc(4); native.mask(Buffer.from([1, 2, 3, 4]), Buffer.from([1, 1, 1, 1]), out, 0, 4); console.log(out.join(','));`;
    const { stdout: maskOut } = await promisify(execFile)(process.execPath, ['-e', maskCheck], { cwd: root, encoding: 'utf8' });
    expect(maskOut.trim()).toBe('0,3,2,5');
    const unsupported = await fetch(`${env.url}/agent/native-plan9-mips.tar.gz`);
    expect(unsupported.status).toBe(404);
    expect(((await unsupported.json()) as { error: { message: string } }).error.message).toContain('plan9-mips');
    const conf = path.join(root, 'etc/syntra-agent/config.json');
    expect(fs.statSync(conf).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(conf, 'utf8'))).toEqual({ url: env.url, token: agent_token, data_dir: path.join(root, 'var/lib/syntra-agent') });
    const bundle = fs.readFileSync(path.join(root, 'opt/syntra-agent/syntra-agent.mjs'), 'utf8');
    expect(bundle).toBe(await (await fetch(`${env.url}/agent/syntra-agent.mjs`)).text());
    const pid = Number(fs.readFileSync(path.join(root, 'run/syntra-agent.pid'), 'utf8'));
    try {
      await waitFor('installed agent online', async () => (await getServer(server.id)).status === 'online');
    } finally {
      process.kill(pid, 'SIGTERM');
    }
    await waitFor('offline after stop', async () => (await getServer(server.id)).status === 'offline');
  });
});
