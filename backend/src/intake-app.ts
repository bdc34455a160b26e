import Koa from 'koa';
import type { AppDeps } from './deps.js';
import { requestContext } from './http/request-context.js';
import { INTAKE_ROUTERS } from './intake-routers.js';

/**
 * The intake's Koa app: what `syntra ingest` serves on INGEST_PORT and `syntra start` mounts on its
 * main port for the intake paths. No JSON body parser (each intake reads its own raw body, bounded)
 * and no session auth: client keys authenticate. `/healthz` for load balancers.
 */
export function createIntakeApp(deps: AppDeps, routers = INTAKE_ROUTERS): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  app.on('error', () => undefined);
  app.use(requestContext(deps.logger));
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
