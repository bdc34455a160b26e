import Koa from 'koa';
import type { AppDeps } from './deps.js';
import { redactPath } from './http/redact-url.js';
import { INTAKE_ROUTERS } from './intake-routers.js';

/**
 * The intake's Koa app: what `syntra ingest` serves on INGEST_PORT and `syntra start` mounts on its
 * main port for the intake paths. No JSON body parser (each intake reads its own raw body, bounded)
 * and no session auth: client keys authenticate. `/healthz` for load balancers. Requests are logged
 * at debug, not info: thousands a second would drown the log (refusals are counted per service).
 */
export function createIntakeApp(deps: AppDeps, routers = INTAKE_ROUTERS): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  app.on('error', () => undefined);
  const log = deps.logger.child({ module: 'intake' });
  app.use(async (ctx, next) => {
    ctx.state.log = log;
    const started = performance.now();
    await next();
    if (log.isLevelEnabled('debug')) log.debug({ method: ctx.method, path: redactPath(ctx.path), status: ctx.status, ms: Math.round(performance.now() - started) }, 'intake request');
  });
  app.use(async (ctx, next) => {
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    await next();
    if (ctx.status === 404 && ctx.body === undefined) ctx.body = { detail: 'not an intake path' };
  });
  for (const router of routers) app.use(router(deps));
  return app;
}
