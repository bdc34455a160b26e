import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import { redactPath, redactQuery } from './redact-url.js';

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** A request id (kept from `X-Request-Id` when sane) and a child logger that carries it; one log line per request, secrets in its URL blanked. */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ request_id: requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.log.info(
        // Paths and queries may carry secrets (invite tokens, OAuth codes): see redact-url.ts.
        { method: ctx.method, path: redactPath(ctx.path), ...(ctx.querystring ? { query: redactQuery(ctx.querystring) } : {}), status: ctx.status, ms: Math.round(performance.now() - started), user_id: ctx.state.userId },
        'request',
      );
    }
  };
}
