import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type pino from 'pino';
import { createApp } from '../../src/app.js';
import { createIntakeApp } from '../../src/intake-app.js';
import { isIntakePath } from '../../src/intake-routers.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/knex.js';
import type { AppDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import type { ClickHouse } from '../../src/db/clickhouse/index.js';
import { buildServices, type ServiceOverrides } from '../../src/services.js';
import { createTestClickHouse } from './clickhouse.js';
import { teardown } from './teardown.js';

export interface TestEnv {
  deps: AppDeps;
  db: Knex;
  redis: Redis;
  /** The env's own ClickHouse database (embedded engine of this worker, or `clickhouseUrl`). */
  clickhouse: ClickHouse;
  url: string;
  config: Config;
  server: http.Server;
  close(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with "npm test", which starts PostgreSQL and Redis`);
  return value;
}

/** A fresh database cloned from the migrated template, so test files never see each other's rows. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = required('SYNTRA_TEST_PG_URL');
  const name = `t_${randomUUID().replace(/-/g, '')}`;
  const admin = createDb(adminUrl, { min: 0, max: 1 });
  await admin.raw(`CREATE DATABASE ${name} TEMPLATE syntra_template`);
  await admin.destroy();
  return {
    url: adminUrl.replace(/\/postgres$/, `/${name}`),
    drop: async () => {
      const a = createDb(adminUrl, { min: 0, max: 1 });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

/** Redis database per vitest worker, so parallel files do not share keys. */
export function testRedisUrl(): string {
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  return `${required('SYNTRA_TEST_REDIS_URL')}/${pool % 16}`;
}

/** A real app on real PostgreSQL and Redis, listening on a free port. */
export interface TestEnvOptions {
  /** Where the app's logger writes (a test capturing log lines); the level is still LOG_LEVEL. */
  logDestination?: pino.DestinationStream;
  /** Parts the services are built with instead of the real ones (a recording agent gateway, extra hub ports). */
  services?: ServiceOverrides;
  /** Reach ClickHouse over HTTP at this URL (a server or the HTTP stand-in) instead of the embedded engine. */
  clickhouseUrl?: string;
}

export async function startTestEnv(env: Record<string, string> = {}, opts: TestEnvOptions = {}): Promise<TestEnv> {
  const database = await createTestDatabase();
  const clickhouse = await createTestClickHouse(opts.clickhouseUrl ? { url: opts.clickhouseUrl } : {});
  // Listen first so the public URL (invite links, OAuth callbacks) carries the real port.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    PUBLIC_URL: url,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    SYNTRA_DATA_DIR: required('SYNTRA_TEST_TMP'),
    SYNTRA_SECRET_KEY: 'a'.repeat(64),
    SYNTRA_LOGIN_LIMIT_PER_IP: '100000',
    // Contract 4: most tests register several accounts; sign-up tests set their own mode and budget.
    SYNTRA_SIGNUP: 'open',
    SYNTRA_REGISTER_LIMIT_PER_IP: '100000',
    // Domain-verification lookups never leave the machine: a closed local port answers at once
    // (tests of verification pass their own DNS stand-in).
    SYNTRA_DNS_SERVERS: '127.0.0.1:9',
    PORT: '0',
    ...env,
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
  });
  const logger = createLogger(config.logLevel, opts.logDestination);
  const db = createDb(database.url, { min: 0, max: 5 });
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
  const deps: AppDeps = { config, logger, db, redis, clickhouse: clickhouse.ch, services: buildServices(config, db, redis, clickhouse.ch, logger, opts.services) };
  // As `syntra start`: the intake paths go to the intake app, the rest to the API.
  const api = createApp(deps).callback();
  const intake = createIntakeApp(deps).callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void (isIntakePath(req.url) ? intake(req, res) : api(req, res)));
  return {
    deps,
    db,
    redis,
    clickhouse: clickhouse.ch,
    url,
    config,
    server,
    close: () =>
      teardown([
        [
          'HTTP server',
          () => {
            server.closeAllConnections();
            return new Promise<void>((resolve) => server.close(() => resolve()));
          },
        ],
        ['intake consumer', () => deps.services.intake.stopConsumer()],
        ['telemetry writer', () => deps.services.telemetryWriter.close()],
        ['verification', () => deps.services.verification.close()],
        ['Redis client', () => redis.quit()],
        ['PostgreSQL pool', () => db.destroy()],
        ['test database', () => database.drop()],
        ['ClickHouse database', () => clickhouse.drop()],
      ]),
  };
}
