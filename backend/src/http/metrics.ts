import type { Middleware } from 'koa';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  middleware: Middleware;
}

/** Prometheus metrics: request counts and latency by route template (never raw paths: ids would explode cardinality). */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  // The event-loop delay is sampled every 100 ms, not prom-client's default 10 ms: with it, an
  // idle control plane's main thread woke 208 times a second (37 now), which a laptop running
  // the stack feels; 10 samples a second still fill the lag percentiles of a scrape.
  collectDefaultMetrics({ register: registry, prefix: 'syntra_', eventLoopMonitoringPrecision: 100 });
  const requests = new Counter({
    name: 'syntra_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'syntra_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: Middleware = async (ctx, next) => {
    const end = duration.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      end({ method: ctx.method, route });
      requests.inc({ method: ctx.method, route, status: String(ctx.status) });
    }
  };
  return { registry, middleware };
}
