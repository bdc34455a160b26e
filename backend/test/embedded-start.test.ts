import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/embedded/free-port.js';
import { apiClient } from './support/api-client.js';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(process.env.SYNTRA_TEST_TMP ?? '/tmp', 'start-'));
fs.chmodSync(dataDir, 0o755);
const children: ChildProcess[] = [];
const dataDirs = [dataDir];

/** Processes that run in or name the data dir: the embedded PostgreSQL and Redis (redis rewrites its title, but its cwd is its --dir). */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if ((cmd.includes(dir) || cwd.startsWith(dir)) && !cmd.includes('vitest')) found.push(`${pid}: ${cmd.trim()}`);
    } catch {
      /* exited while we looked */
    }
  }
  return found;
}

/** Runs `npm start`'s script exactly as a user would (or `npm start` itself), and waits for its "running" line. */
async function startSyntra(port: number, opts: { viaNpm?: boolean; dir?: string } = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const [cmd, args] = opts.viaNpm ? ['npm', ['start', '--silent']] : [process.execPath, [path.join(root, 'scripts/start.mjs')]];
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, SYNTRA_DATA_DIR: opts.dir ?? dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a failed test can kill everything it started
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not running after 60 s:\n${output}`)), 60_000);
    const check = setInterval(() => {
      if (output.includes('Syntra is running')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

/** Ctrl-C: SIGINT to the whole process group, as a terminal sends it. */
async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

afterAll(() => {
  for (const child of children) {
    try {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const dir of dataDirs) for (const line of processesUsing(dir)) process.kill(Number(line.split(':')[0]), 'SIGKILL');
});

describe('npm start with embedded PostgreSQL and Redis', () => {
  it('starts, keeps data across a restart, and leaves no process behind after Ctrl-C', async () => {
    const port = await freePort();
    const first = await startSyntra(port);
    expect(first.output()).toContain(`http://localhost:${port}`);
    expect(first.output()).toContain('create the first account');
    expect(processesUsing(dataDir).some((p) => p.includes('postgres'))).toBe(true);
    expect(processesUsing(dataDir).some((p) => p.includes('redis-server'))).toBe(true);

    const key = path.join(dataDir, 'secret.key');
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    const keyBefore = fs.readFileSync(key, 'utf8');

    const api = apiClient(`http://127.0.0.1:${port}`);
    const registered = await api.post('/api/v1/auth/register', { email: 'first@example.test', password: 'a long password', name: 'First' });
    expect(registered.status).toBe(201);

    expect(await interrupt(first.child)).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);

    const second = await startSyntra(port);
    expect(second.output()).not.toContain('create the first account');
    const login = await api.post('/api/v1/auth/login', { email: 'first@example.test', password: 'a long password' });
    expect(login.status).toBe(200);
    expect(login.body.data.user.id).toBe(registered.body.data.user.id);
    expect(fs.readFileSync(key, 'utf8')).toBe(keyBefore);

    expect(await interrupt(second.child)).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);
  }, 180_000);

  it('npm start runs the compiled release in one plain node process (no TypeScript loader, no wrapper)', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.SYNTRA_TEST_TMP ?? '/tmp', 'start-tree-'));
    fs.chmodSync(dir, 0o755);
    dataDirs.push(dir);
    const running = await startSyntra(await freePort(), { viaNpm: true, dir });
    // npm → its `sh -c` → node serving Syntra, whose own children are only the agent and the stores.
    const tree = descendantsOf(running.child.pid!);
    const nodes = tree.filter((p) => /(^|\/)node /.test(p));
    expect(nodes.filter((p) => !p.includes('syntra-agent')), tree.join('\n')).toEqual([expect.stringMatching(/^node --initial-old-space-size=128 --max-semi-space-size=64 scripts\/start\.mjs/)]);
    expect(tree.filter((p) => p.includes('tsx'))).toEqual([]);
    await interrupt(running.child); // npm itself reports the Ctrl-C as its own exit signal
    expect(await leftRunning(dir)).toEqual([]);
  }, 120_000);

  it('stops the whole stack when the npm process that launched it is terminated (kill -TERM <npm pid>)', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.SYNTRA_TEST_TMP ?? '/tmp', 'start-npm-'));
    fs.chmodSync(dir, 0o755);
    dataDirs.push(dir);
    const running = await startSyntra(await freePort(), { viaNpm: true, dir });
    expect(processesUsing(dir).some((p) => p.includes('postgres'))).toBe(true);
    process.kill(running.child.pid!, 'SIGTERM');
    expect(await leftRunning(dir)).toEqual([]);
  }, 120_000);
});

/** Processes still using `dir` once they had 30 s to stop. */
async function leftRunning(dir: string): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  while (processesUsing(dir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  return processesUsing(dir);
}

/** Command lines of every process below `root` in the process tree. */
function descendantsOf(root: number): string[] {
  const parentOf = new Map<number, number>();
  const cmdOf = new Map<number, string>();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number)) {
    try {
      parentOf.set(pid, Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]));
      cmdOf.set(pid, fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
    } catch {
      /* exited while we looked */
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === root) return true;
    return false;
  };
  return [...cmdOf].filter(([pid]) => below(pid)).map(([, cmd]) => cmd);
}
