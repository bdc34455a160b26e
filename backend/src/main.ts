import http from 'node:http';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createApp } from './app.js';
import { createIntakeApp } from './intake-app.js';
import { isIntakePath } from './intake-routers.js';
import { type Config, loadConfig } from './config.js';
import { createDb, migrateLatest } from './db/knex.js';
import { type ClickHouse, migrateClickHouse, openClickHouse } from './db/clickhouse/index.js';
import type { AppDeps } from './deps.js';
import { startEmbeddedPostgres } from './embedded/postgres.js';
import { startEmbeddedRedis } from './embedded/redis.js';
import { resolveSecretKey } from './embedded/secret-key.js';
import { createLogger, type Logger } from './logger.js';
import { buildServices } from './services.js';
import { startWorkers } from './workers/index.js';
import { attachRealtime } from './realtime.js';
import { LocalAgent } from './modules/agent-dist/index.js';
import { SelfReporter, ensureSelfProject } from './self-report.js';
import { IntakeProcessingThread } from './intake-thread.js';

export type Role = 'start' | 'api' | 'worker' | 'ingest' | 'migrate';
/** `syntra start`'s intake processing thread (not a command): the stores the main thread resolved, only the intake's consumer. */
type InternalRole = Role | 'processing';

export interface RunOptions {
  /** The CLI's entry module: `syntra start` runs the intake's processing on a thread of it (without one, on the main thread). */
  threadEntry?: URL;
}

export interface RunningSyntra {
  config: Config;
  url: string;
  /** The process's one root logger (the CLI's process guards log through it too). */
  logger: Logger;
  stop(): Promise<void>;
  /** The processing thread's only: a commit on the main thread, look at the queue now. */
  nudge?: () => void;
}

type Cleanup = () => Promise<void>;

/** Runs cleanups newest first, logging (not throwing) failures so every step gets its turn. */
async function runCleanups(cleanups: Cleanup[], logger: Logger) {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      logger.warn({ err }, 'shutdown step failed');
    }
  }
}

async function resolveStores(role: InternalRole, config: Config, logger: Logger, cleanups: Cleanup[]) {
  let databaseUrl = config.databaseUrl;
  let redisUrl = config.redisUrl;
  const embedded = role === 'start' || role === 'migrate';
  if (!databaseUrl) {
    if (!embedded) throw new Error(`syntra ${role} needs DATABASE_URL (embedded PostgreSQL is only for "syntra start")`);
    const pg = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'), logger);
    cleanups.push(pg.stop);
    databaseUrl = pg.url;
  }
  if (!redisUrl && role !== 'migrate') {
    if (!embedded) throw new Error(`syntra ${role} needs REDIS_URL (the private redis-server is only for "syntra start")`);
    const redis = await startEmbeddedRedis(path.join(config.dataDir, 'redis'), { persist: true, logger });
    cleanups.push(redis.stop);
    redisUrl = redis.url;
  }
  return { databaseUrl, redisUrl };
}

function closeServer(server: http.Server) {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Telemetry's ClickHouse: the server at CLICKHOUSE_URL, or in `syntra start` (and `migrate`) the
 * engine embedded in this process. api, worker (and ingest) processes need CLICKHOUSE_URL: an
 * embedded engine belongs to one process, and they would each see only their own telemetry.
 */
export async function resolveClickHouse(role: InternalRole, config: Config, logger: Logger, cleanups: Cleanup[]): Promise<ClickHouse> {
  let ch: ClickHouse;
  if (config.clickhouseUrl) {
    ch = await openClickHouse({ url: config.clickhouseUrl, database: config.clickhouseDatabase });
  } else {
    if (role !== 'start' && role !== 'migrate' && role !== 'processing') {
      throw new Error(`syntra ${role} needs CLICKHOUSE_URL (the embedded ClickHouse is only for "syntra start": separate processes must share one ClickHouse server)`);
    }
    ch = await openClickHouse({ embeddedPath: path.join(config.dataDir, 'clickhouse'), database: config.clickhouseDatabase, engine: config.clickhouseEngine });
  }
  cleanups.push(() => ch.close());
  // The processing thread starts once the main thread has migrated.
  if (role === 'processing') return ch;
  const applied = await migrateClickHouse(ch);
  if (applied.length) logger.info({ applied, mode: ch.mode }, 'ClickHouse migrations applied');
  return ch;
}

/** `syntra start`'s intake processing thread, on the stores this thread resolved (embedded ones included). */
function processingThread(entry: URL, env: NodeJS.ProcessEnv, config: Config, deps: AppDeps, logger: Logger): IntakeProcessingThread {
  const threadEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) threadEnv[k] = v;
  Object.assign(threadEnv, { DATABASE_URL: config.databaseUrl!, REDIS_URL: config.redisUrl!, SYNTRA_DATA_DIR: config.dataDir });
  return new IntakeProcessingThread({
    entry,
    env: threadEnv,
    logger: logger.child({ module: 'intake-thread' }),
    fallback: () => void deps.services.intake.startConsumer(),
    // Thrown where nothing catches it: the process guard stops Syntra for the supervisor to restart.
    crash: (err) =>
      process.nextTick(() => {
        throw err;
      }),
    hasBacklog: async () => (await deps.services.intake.pending()) > 0,
  });
}

/** The composition root: stores, services, HTTP, and the order they stop in. */
export async function runSyntra(role: InternalRole, env: NodeJS.ProcessEnv = process.env, opts: RunOptions = {}): Promise<RunningSyntra> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const cleanups: Cleanup[] = [];
  try {
    const { databaseUrl, redisUrl } = await resolveStores(role, config, logger, cleanups);
    const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
    const runtimeConfig: Config = { ...config, secretKey, databaseUrl, redisUrl };

    const db = createDb(databaseUrl);
    cleanups.push(() => db.destroy());
    if (role !== 'processing') {
      const applied = await migrateLatest(db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
    const clickhouse = await resolveClickHouse(role, config, logger, cleanups);
    if (role === 'migrate') {
      await runCleanups(cleanups, logger);
      return { config: runtimeConfig, url: '', logger, stop: async () => undefined };
    }

    const redis = new Redis(redisUrl!, { maxRetriesPerRequest: 3, lazyConnect: false });
    cleanups.push(async () => void (await redis.quit()));
    const selfReport = new SelfReporter(logger.child({ module: 'self-report' }));
    // The processing thread leaves the SDK (process-wide hooks) to the main thread.
    if (config.selfDsn && role !== 'processing') await selfReport.activate(config.selfDsn, { environment: config.env });
    cleanups.push(() => selfReport.close());
    const deps: AppDeps = { config: runtimeConfig, logger, db, redis, clickhouse, services: buildServices(runtimeConfig, db, redis, clickhouse, logger), selfReport };
    // `syntra start`'s intake processing thread stops after everything else wrote to ClickHouse: a
    // thread that ends takes its engine connections along, and the engine answers no one after.
    let processing: IntakeProcessingThread | null = null;
    cleanups.push(async () => processing?.stop(15_000));
    // Queued telemetry is written before ClickHouse closes (cleanups run newest first).
    cleanups.push(() => deps.services.telemetryWriter.close());

    // The job queues' Redis connections (BullMQ opens them with the services).
    const closeQueues = async () => {
      const closed = await Promise.allSettled([deps.services.deployments.queue.close(), deps.services.notifications.queue.close(), deps.services.verification.close()]);
      for (const c of closed) if (c.status === 'rejected') logger.warn({ err: c.reason }, 'a job queue did not close');
    };
    if (role === 'processing') {
      // Only the intake's consumer: the main thread serves, schedules and migrates.
      if (!deps.services.intake.startConsumer()) logger.warn('no error-event processor is wired: intake events wait in their queue');
      cleanups.push(closeQueues);
      cleanups.push(() => deps.services.intake.stopConsumer());
      let stopping: Promise<void> | null = null;
      return { config: runtimeConfig, url: '', logger, stop: () => (stopping ??= runCleanups(cleanups, logger)), nudge: () => deps.services.intake.nudgeConsumer() };
    }

    let url = '';
    if (role === 'ingest') {
      // The intake on its own port, so it scales apart from the API (deploy/compose.yml routes the intake paths here).
      const server = http.createServer(createIntakeApp(deps).callback());
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.ingest.port, config.host, resolve));
      cleanups.push(() => closeServer(server));
      const { port } = server.address() as { port: number };
      url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
      logger.info({ url, role }, 'Syntra intake is listening');
    }
    if (role === 'start' || role === 'api') {
      const api = createApp(deps).callback();
      // `syntra start` serves the intake paths on its main port too, so the DSN from PUBLIC_URL works.
      const intake = role === 'start' ? createIntakeApp(deps).callback() : null;
      const server = http.createServer(intake ? (req, res) => void (isIntakePath(req.url) ? intake(req, res) : api(req, res)) : api);
      server.keepAliveTimeout = 65_000; // above common load balancers' idle timeout
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));
      cleanups.push(() => closeServer(server));
      const { port } = server.address() as { port: number };
      url = config.publicUrl.replace(`:${config.port}`, `:${port}`);
      const realtime = await attachRealtime(server, deps);
      cleanups.push(() => realtime.stop());
      logger.info({ url, role }, 'Syntra is listening');
      if (role === 'start' && !config.selfDsn) {
        // `npm start` reports its own errors to its built-in "Syntra" project, once the admin organisation and this machine's server exist.
        const selfUrl = `http://127.0.0.1:${port}`;
        const trySelf = async () => {
          const dsn = await ensureSelfProject(deps.services, selfUrl).catch((err: unknown) => void logger.warn({ err }, 'built-in Syntra project not set up'));
          if (!dsn) return false;
          await selfReport.activate(dsn, { environment: config.env });
          return true;
        };
        const timer = setInterval(() => void trySelf().then((done) => done && clearInterval(timer)), 15_000);
        timer.unref();
        void trySelf().then((done) => done && clearInterval(timer));
        cleanups.push(async () => clearInterval(timer));
      }
      if (role === 'start' && config.localAgent) {
        // The agent dials this process directly, whatever PUBLIC_URL says.
        const local = new LocalAgent(deps.services.servers, config.dataDir, `http://127.0.0.1:${port}`, logger.child({ module: 'local-agent' }), { baseEnv: env, terminalUser: config.localTerminalUser });
        local.start();
        cleanups.push(() => local.stop());
      }
    }
    if (role === 'start' || role === 'worker') {
      const thread = role === 'start' && opts.threadEntry ? processingThread(opts.threadEntry, env, runtimeConfig, deps, logger) : null;
      // Build/deploy workers; closed before the stores so running jobs can finish their step.
      const workers = startWorkers(deps, { intakeConsumer: !thread });
      cleanups.push(() => workers.close());
      if (thread) {
        processing = thread;
        deps.services.intake.onCommit(() => thread.nudge());
        await thread.startIfBacklog();
      }
      if (role === 'worker') logger.info('worker started: builds, deploys, intake');
    }
    cleanups.push(closeQueues);

    let stopping: Promise<void> | null = null;
    return {
      config: runtimeConfig,
      url,
      logger,
      stop: () => (stopping ??= runCleanups(cleanups, logger)),
    };
  } catch (err) {
    await runCleanups(cleanups, logger);
    throw err;
  }
}
