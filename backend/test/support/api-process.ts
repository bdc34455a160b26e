import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../src/embedded/free-port.js';
import { tempDir, waitFor } from './agent-env.js';
import { clickhouseEnvFor } from './clickhouse-http-stand-in.js';
import { SYNTRA_BIN } from './syntra-process.js';
import { testRedisUrl } from './test-env.js';

export interface ApiProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** A real `syntra api` process (the compiled release) on PostgreSQL `databaseUrl` and the test Redis. */
export async function startApiProcess(databaseUrl: string, opts: { port?: number; env?: Record<string, string> } = {}): Promise<ApiProcess> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // The compiled release, as syntra-process.ts runs the other roles (no TypeScript loader).
  const clickhouse = opts.env?.CLICKHOUSE_URL ? {} : await clickhouseEnvFor(databaseUrl);
  const child = spawn(process.execPath, [SYNTRA_BIN, 'api'], {
    env: {
      ...process.env,
      ...clickhouse,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      SYNTRA_DATA_DIR: tempDir('api-data'),
      SYNTRA_SECRET_KEY: 'b'.repeat(64),
      SYNTRA_LOGIN_LIMIT_PER_IP: '100000',
      // Contract 4: most tests register several accounts; sign-up tests set their own mode and budget.
      SYNTRA_SIGNUP: 'open',
      SYNTRA_REGISTER_LIMIT_PER_IP: '100000',
      SYNTRA_AGENT_HEARTBEAT_SECONDS: '0.5',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(`api process on ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`api process exited: ${out}`);
    return fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false);
  }, 60_000);
  return {
    url,
    port,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
