import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { freePort } from './free-port.js';

export interface EmbeddedRedisHandle {
  url: string;
  stop(): Promise<void>;
}

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, cmd);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** Finds redis-server; on Debian/Ubuntu as root installs it; otherwise says how in one line. */
export function ensureRedisServer(logger: Logger): string {
  const found = onPath('redis-server');
  if (found) return found;
  const canApt = process.getuid?.() === 0 && onPath('apt-get');
  if (!canApt) throw new Error('redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL');
  logger.info('redis-server is missing; installing it with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'ignore', env });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'ignore', env });
  }
  const installed = onPath('redis-server');
  if (!installed) throw new Error('apt-get ran but redis-server is still missing; install it by hand or set REDIS_URL');
  return installed;
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in ${timeoutMs} ms: ${output.slice(-500)}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`));
    });
  });
}

/**
 * A private redis-server on loopback, owned by this process. With `persist`, an append-only file in
 * `dir` keeps queued jobs across restarts.
 */
export async function startEmbeddedRedis(dir: string, opts: { persist: boolean; logger: Logger }): Promise<EmbeddedRedisHandle> {
  const binary = ensureRedisServer(opts.logger);
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  if (fs.existsSync(pidFile)) {
    // A redis left running by a crashed Syntra holds the same files: stop it before starting ours.
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
    try {
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    fs.rmSync(pidFile, { force: true });
  }
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--protected-mode', 'yes'];
  args.push('--appendonly', opts.persist ? 'yes' : 'no');
  // Its own process group: a terminal's Ctrl-C goes to the whole foreground group, and a Redis that
  // died with it left BullMQ's workers waiting in close() for a connection that never came back
  // (shutdown then hung until it was forced). Syntra stops it itself, after the workers.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await waitForReady(child, 10_000);
  fs.writeFileSync(pidFile, String(child.pid));
  child.stdout?.resume();
  child.stderr?.resume();
  opts.logger.child({ module: 'embedded-redis' }).info({ port }, 'Redis ready');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(pidFile, { force: true });
    },
  };
}
