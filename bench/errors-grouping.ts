/**
 * `npm run bench -- errors-grouping [events] [batch]`: how fast the error module groups and stores
 * (ErrorIngestService.process, what the intake's workers call), without the HTTP intake in front.
 * Realistic Node SDK exception events (~5 KB: 20 distinct stack traces with context lines,
 * breadcrumbs, contexts), 50 users, two releases; batches handed over by two concurrent "workers"
 * on embedded PostgreSQL (issues, counters), ClickHouse (the events, embedded chdb) and Redis.
 * Prints events/s processed, batch latency and peak RSS. CPU_PROFILE=1 writes a .cpuprofile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createDb, migrateLatest } from '../backend/src/db/knex.js';
import { migrateClickHouse, openClickHouse, selectRows } from '../backend/src/db/clickhouse/index.js';
import { BatchedTelemetryWriter } from '../backend/src/modules/telemetry/index.js';
import { startEmbeddedPostgres } from '../backend/src/embedded/postgres.js';
import { startEmbeddedRedis } from '../backend/src/embedded/redis.js';
import { createLogger } from '../backend/src/logger.js';
import { AuditService } from '../backend/src/modules/audit/index.js';
import { DeploymentIndex } from '../backend/src/modules/deployments/index.js';
import { buildErrorModule } from '../backend/src/modules/errors/index.js';
import type { ReceivedEvent } from '../backend/src/modules/ingest/index.js';
import { StreamPublisher } from '../backend/src/modules/stream/index.js';
import { percentile } from './support.js';

const TOTAL = Number(process.argv[2] ?? 50_000);
const BATCH = Number(process.argv[3] ?? 500);
const WORKERS = Number(process.env.WORKERS ?? 2);
const ISSUES = 20;

function frames(issue: number) {
  const app = Array.from({ length: 4 }, (_, i) => ({
    filename: `/srv/app/src/module${issue}/file${i}.js`, module: `src.module${issue}:file${i}`, function: `handler${issue}_${i}`,
    lineno: 10 + i, colno: 7, in_app: true,
    pre_context: ['const a = 1;', 'const b = await load(a);', 'if (!b) {', '  log.warn("missing");', '}'],
    context_line: `  throw new Error(\`failure ${issue} in step ${i}: \${b.id}\`);`,
    post_context: ['return b;', '}', '', 'export default run;', ''],
  }));
  const lib = Array.from({ length: 8 }, (_, i) => ({
    filename: `/srv/app/node_modules/express/lib/router/layer${i}.js`, module: `express.lib.router:layer${i}`, function: 'Layer.handle [as handle_request]',
    lineno: 95 + i, colno: 5, in_app: false, context_line: '    fn(req, res, next);',
  }));
  return [...lib, ...app];
}

function payload(n: number): Record<string, unknown> {
  const issue = n % ISSUES;
  return {
    event_id: `${n.toString(16).padStart(8, '0')}${'0'.repeat(24)}`,
    platform: 'node', level: 'error', timestamp: Date.now() / 1000, release: n % 2 ? 'shop@1.4.0' : 'shop@1.4.1', environment: 'production', server_name: 'web-1',
    exception: { values: [{ type: 'Error', value: `failure ${issue} for order ${n}`, mechanism: { type: 'generic', handled: true }, stacktrace: { frames: frames(issue) } }] },
    breadcrumbs: { values: Array.from({ length: 10 }, (_, i) => ({ timestamp: Date.now() / 1000, category: 'http', type: 'http', data: { url: `https://api.example.com/v1/items/${i}`, method: 'GET', status_code: 200 } })) },
    user: { id: `user-${n % 50}` },
    tags: { region: 'eu-west-1', 'http.method': 'GET' },
    contexts: { runtime: { name: 'node', version: 'v20.20.0' }, os: { name: 'Debian', version: '12' }, device: { arch: 'x64', processor_count: 2 } },
    request: { url: `https://shop.example.com/orders/${n}`, method: 'POST', headers: { 'user-agent': 'Mozilla/5.0', accept: 'application/json' } },
    sdk: { name: 'sentry.javascript.node', version: '11.12.0' },
  };
}

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-bench-errors-'));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres(path.join(dir, 'postgres'), logger);
const redisStore = await startEmbeddedRedis(path.join(dir, 'redis'), { persist: false, logger });
const db = createDb(pg.url, { min: 0, max: 6 });
const redis = new Redis(redisStore.url);
const ch = await openClickHouse({ embeddedPath: path.join(dir, 'clickhouse'), database: 'bench' });
const writer = new BatchedTelemetryWriter(ch, logger);
try {
  await migrateLatest(db);
  await migrateClickHouse(ch);
  const [user] = await db('users').insert({ email: 'bench@example.test', name: 'Bench' }).returning('id');
  const [org] = await db('organizations').insert({ name: 'Bench', slug: 'bench', owner_id: user!.id, settings: {} }).returning('id');
  const [project] = await db('projects').insert({ org_id: org!.id, name: 'Shop', slug: 'shop' }).returning('id');
  const [server] = await db('servers').insert({ org_id: org!.id, name: 'web-1', agent_token_hash: '0'.repeat(64), status: 'online' }).returning('id');
  const [service] = await db('services').insert({ project_id: project!.id, server_id: server!.id, name: 'web', source_type: 'auto' }).returning('id');
  const source = { orgId: org!.id, projectId: project!.id, serviceId: service!.id, keyId: crypto.randomUUID() };
  const errors = buildErrorModule({
    db, deployments: new DeploymentIndex(db), members: { isMember: async () => true }, audit: new AuditService(db),
    stream: new StreamPublisher(redis), logger, clickhouse: ch, writer,
  });
  const events: ReceivedEvent[] = Array.from({ length: TOTAL }, (_, n) => {
    const p = payload(n);
    return { ...source, eventId: String(p.event_id), receivedAt: new Date().toISOString(), payload: JSON.parse(JSON.stringify(p)), clientIp: null, attachments: [] };
  });
  const avgBytes = Math.round(events.slice(0, 100).reduce((s, e) => s + JSON.stringify(e.payload).length, 0) / 100);
  let peakRss = 0;
  const rss = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 100);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (next < events.length) {
      const batch = events.slice(next, next + BATCH);
      next += BATCH;
      const t = performance.now();
      await errors.ingest.process(batch);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(rss);
  const [stored] = await selectRows<{ n: string }>(ch, 'SELECT count() AS n FROM error_events FINAL');
  const issues = await db('error_groups').count({ n: '*' }).first();
  console.log(`errors-grouping: ${TOTAL} events of ~${avgBytes} B in batches of ${BATCH}, ${WORKERS} concurrent batches`);
  console.log(`  processed (grouped, stored, queryable): ${Math.round(TOTAL / seconds)} events/s (${seconds.toFixed(2)} s)`);
  console.log(`  batch latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
  console.log(`  stored ${stored?.n} events in ${issues?.n} issues; peak RSS ${(peakRss / 1048576).toFixed(0)} MiB`);
} finally {
  await writer.close();
  await ch.close();
  await redis.quit();
  await db.destroy();
  await redisStore.stop();
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
