// A `syntra worker` stand-in for fault tests: runs the real build workers against the test stores
// until it is killed. Usage: tsx worker-child.ts <DATABASE_URL> <REDIS_URL> <PUBLIC_URL> <DATA_DIR>
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import path from 'node:path';
import { openClickHouse } from '../../src/db/clickhouse/index.js';
import { createDb } from '../../src/db/knex.js';
import { createLogger } from '../../src/logger.js';
import { buildServices } from '../../src/services.js';
import { startWorkers } from '../../src/workers/index.js';

const [databaseUrl, redisUrl, publicUrl, dataDir] = process.argv.slice(2) as [string, string, string, string];
const config = loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, PUBLIC_URL: publicUrl, SYNTRA_DATA_DIR: dataDir, SYNTRA_SECRET_KEY: 'a'.repeat(64), LOG_LEVEL: 'silent', NODE_ENV: 'test' });
const db = createDb(databaseUrl, { min: 0, max: 3 });
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
// A process of its own, so an engine of its own (the build workers write no telemetry).
const clickhouse = await openClickHouse({ embeddedPath: path.join(dataDir, `clickhouse-worker-${process.pid}`), database: 'syntra' });
const deps = { config, logger: createLogger('silent'), db, redis, clickhouse, services: buildServices(config, db, redis, clickhouse, createLogger('silent')) };
startWorkers(deps, { lockDurationMs: 1500, stalledIntervalMs: 1000 });
console.log('worker ready');
