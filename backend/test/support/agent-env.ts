import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { writeAgentBundle } from '../../src/modules/agent-dist/index.js';
import { attachRealtime } from '../../src/realtime.js';
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

export { waitFor } from '../../../test-support/wait.js';

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

/** A real `syntra-agent` process (the bundle install.sh downloads) dialing `url`. */
export async function spawnAgent(url: string, token: string, dataDir = tempDir('agent'), extraEnv: Record<string, string> = {}): Promise<AgentProcess> {
  bundlePath ??= writeAgentBundle(path.join(tempDir('bundle'), 'syntra-agent.mjs'));
  const bundle = await bundlePath;
  const config = path.join(dataDir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ url, token, data_dir: dataDir }), { mode: 0o600 });
  const child = spawn(process.execPath, [bundle, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...extraEnv } });
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
