import Router from '@koa/router';
import { Gauge } from 'prom-client';
import { TELEMETRY_TABLES } from '../modules/telemetry/index.js';
import type { AppDeps } from '../deps.js';
import type { HttpMetrics } from './metrics.js';

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Probes and documents outside the versioned API: liveness, readiness, Prometheus, OpenAPI. */
export function infraRouter(deps: AppDeps, metrics: HttpMetrics, openApi: () => unknown): Router {
  const router = new Router();
  registerTelemetryMetrics(deps, metrics);
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok', uptime_seconds: Math.round(process.uptime()) };
  });
  router.get('/readyz', async (ctx) => {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await withTimeout(probe(), 2000);
        return 'ok';
      } catch {
        return 'unreachable';
      }
    };
    const [postgres, redis, clickhouse] = await Promise.all([
      check(() => deps.db.raw('select 1')),
      check(() => deps.redis.ping()),
      check(async () => {
        if (!(await deps.clickhouse.client.ping()).success) throw new Error('ping failed');
      }),
    ]);
    const ready = postgres === 'ok' && redis === 'ok' && clickhouse === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks: { postgres, redis, clickhouse } };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = openApi();
  });
  return router;
}

/**
 * The telemetry writer's counts on /metrics: rows written, refused (the sender was told 429/503)
 * and dropped after a failed insert, per table; the queue and whether ClickHouse is lagging.
 */
function registerTelemetryMetrics(deps: AppDeps, metrics: HttpMetrics) {
  const writer = deps.services.telemetryWriter;
  new Gauge({
    name: 'syntra_telemetry_rows',
    help: 'Telemetry rows by table and outcome (written, rejected: refused with 429/503, dropped: insert failed) since start',
    labelNames: ['table', 'outcome'] as const,
    registers: [metrics.registry],
    collect() {
      const { tables } = writer.stats();
      for (const table of TELEMETRY_TABLES) for (const outcome of ['written', 'rejected', 'dropped'] as const) this.set({ table, outcome }, tables[table][outcome]);
    },
  });
  new Gauge({
    name: 'syntra_telemetry_queue_bytes',
    help: 'Telemetry waiting for ClickHouse, bytes',
    registers: [metrics.registry],
    collect() {
      this.set(writer.stats().queuedBytes);
    },
  });
  new Gauge({
    name: 'syntra_telemetry_lagging',
    help: '1 while ClickHouse is not keeping up or failing (intakes shed load)',
    registers: [metrics.registry],
    collect() {
      this.set(writer.stats().lagging ? 1 : 0);
    },
  });
}
