import Router from '@koa/router';
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
    const [postgres, redis] = await Promise.all([check(() => deps.db.raw('select 1')), check(() => deps.redis.ping())]);
    const ready = postgres === 'ok' && redis === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks: { postgres, redis } };
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
