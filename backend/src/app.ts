import Koa from 'koa';
import type { AppDeps } from './deps.js';
import { buildRouter } from './http/build-router.js';
import { jsonBodyParser } from './http/body-parser.js';
import { errorMiddleware } from './http/error-middleware.js';
import { infraRouter } from './http/infra.routes.js';
import { createHttpMetrics } from './http/metrics.js';
import { buildOpenApi } from './http/openapi.js';
import { requestContext } from './http/request-context.js';
import { securityHeaders } from './http/security-headers.js';
import { staticConsole } from './http/static-console.js';
import type { AnyRoute } from './http/route.js';
import { API_ROUTES } from './routes.js';
import { agentDownloadsRouter } from './modules/agent-dist/index.js';

/** Builds the Koa application. It never listens: main.ts (or a test) decides where it is served. */
export function createApp(deps: AppDeps, routes: readonly AnyRoute[] = API_ROUTES): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  const metrics = createHttpMetrics();
  let openApi: unknown;
  const api = buildRouter(routes, deps);
  const infra = infraRouter(deps, metrics, () => (openApi ??= buildOpenApi(routes, deps.config.publicUrl)));

  // The error middleware already logged what happened; this keeps Koa from printing it again.
  app.on('error', () => undefined);
  app
    .use(requestContext(deps.logger))
    .use(errorMiddleware((err, method, path) => deps.selfReport?.http(err, method, path)))
    .use(securityHeaders(deps.config))
    .use(metrics.middleware)
    .use(jsonBodyParser(deps.config.bodyLimitBytes))
    .use(infra.routes())
    .use(agentDownloadsRouter(deps).routes())
    .use(api.routes())
    // Last: the web console answers only GETs nothing above claimed, never /api, /agent or the probes.
    .use(staticConsole());
  return app;
}
