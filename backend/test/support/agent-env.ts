import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { buildFrame, type PayloadOf } from '@syntra/shared';
import { writeAgentBundle } from '../../src/modules/agent-dist/index.js';
import { attachRealtime } from '../../src/realtime.js';
import type { Account, ApiClient } from './api-client.js';
import { startTestEnv, type TestEnv, type TestEnvOptions } from './test-env.js';

export interface RealtimeEnv extends TestEnv {
  stopRealtime(): Promise<void>;
}

/** A test env whose HTTP server also carries the agent hub and the console stream. */
export async function startRealtimeEnv(env: Record<string, string> = {}, opts: TestEnvOptions = {}): Promise<RealtimeEnv> {
  const base = await startTestEnv({ SYNTRA_AGENT_HEARTBEAT_SECONDS: '0.5', SYNTRA_AGENT_TELEMETRY_SECONDS: '1', ...env }, opts);
  const realtime = await attachRealtime(base.server, base.deps);
  let stopped = false;
  const stopRealtime = async () => {
    if (stopped) return;
    stopped = true;
    await realtime.stop();
  };
  return {
    ...base,
    stopRealtime,
    close: async () => {
      await stopRealtime();
      await base.close();
    },
  };
}

import { waitFor } from '../../../test-support/wait.js';

export { waitFor };

export function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(process.env.SYNTRA_TEST_TMP ?? os.tmpdir(), `${tag}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export interface AgentProcess {
  child: ChildProcess;
  dataDir: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

let bundlePath: Promise<string> | null = null;

/**
 * A real `syntra-agent` process (the bundle install.sh downloads) dialing `url`. Its host terminals
 * read no startup file: the machine's own profile (a slow or locking `pyenv rehash`, say) is not
 * what these tests are about, and a shell killed mid-profile can leave a lock that stalls the next.
 */
export async function spawnAgent(url: string, token: string, dataDir = tempDir('agent'), extraEnv: Record<string, string> = {}): Promise<AgentProcess> {
  bundlePath ??= writeAgentBundle(path.join(tempDir('bundle'), 'syntra-agent.mjs'));
  const bundle = await bundlePath;
  const config = path.join(dataDir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ url, token, data_dir: dataDir }), { mode: 0o600 });
  const child = spawn(process.execPath, [bundle, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SYNTRA_TERMINAL_PROFILE: 'none', ...extraEnv } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    dataDir,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A raw protocol client for close-code and malformed-frame tests. */
export function rawAgentSocket(url: string, token?: string): WebSocket {
  return new WebSocket(`${url.replace(/^http/, 'ws')}/agent/ws`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Collects JSON messages of a socket. */
export function collect(ws: WebSocket): any[] {
  const messages: any[] = [];
  ws.on('message', (data, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(data.toString()));
  });
  return messages;
}

/** One agent frame as the agent would send it (JSON text). */
export const agentFrame = <T extends Parameters<typeof buildFrame>[0]>(type: T, payload: PayloadOf<T>) => JSON.stringify(buildFrame(type, payload, randomUUID()));

export const agentHello: PayloadOf<'agent_hello'> = {
  agent_id: randomUUID(), version: '0.1.0', protocol: 1, runtime: 'process', runtime_version: 'node 20', os: { name: 'debian', version: '12' }, arch: 'x64',
  network: { hostname: 'h', public_ip: null, private_ip: null }, resources: { cpu_cores: 2, memory_total_mb: 4096, disk_total_gb: 40 }, capabilities: [], last_acked_telemetry_seq: 0,
};

/** A new server of `owner`'s org with a service on it, and a raw agent socket that said hello for it. */
export async function rawAgentWithService(env: RealtimeEnv, api: ApiClient, owner: Account, names: { server: string; service: string }) {
  const created = await api.post('/api/v1/servers', { name: names.server }, { token: owner.token, orgId: owner.orgId });
  const serverId = created.body.data.server.id as string;
  const project = await api.post('/api/v1/projects', { name: `P-${randomUUID().slice(0, 6)}` }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: names.service, server_id: serverId }, { token: owner.token });
  const ws = rawAgentSocket(env.url, created.body.data.agent_token);
  const messages = collect(ws);
  await new Promise((r) => ws.once('open', r));
  ws.send(agentFrame('agent_hello', agentHello));
  await waitFor('hello_ack', () => messages.find((m) => m.type === 'hello_ack'));
  return { ws, messages, serverId, serviceId: service.body.data.id as string, projectId: project.body.data.id as string };
}
