import type { Middleware } from 'koa';
import { ERROR_STATUS, type ErrorCode } from '@syntra/shared';
import { AppError, RateLimitedError } from '../errors.js';

/**
 * Errors thrown by Koa's own stack (body parser, http-errors) carry a status. Every 4xx among them
 * is the client's doing (bad JSON, unsupported charset or encoding, aborted upload…): it keeps a
 * 4xx code, the generic VALIDATION_ERROR unless a closer one exists.
 */
const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

function codeForStatus(status: unknown): ErrorCode | undefined {
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return HTTP_STATUS_CODES[status] ?? 'VALIDATION_ERROR';
}

function describe(err: unknown): { code: ErrorCode; message: string; details?: unknown; expected: boolean } {
  if (err instanceof AppError) return { code: err.code, message: err.message, details: err.details, expected: true };
  const code = codeForStatus((err as { status?: unknown })?.status);
  if (code) {
    const { type, expose, message: raw } = err as { type?: string; expose?: boolean; message?: string };
    const message =
      code === 'PAYLOAD_TOO_LARGE'
        ? 'Request body is larger than this server accepts'
        : type === 'entity.parse.failed'
          ? 'Request body is not valid JSON'
          : expose !== false && raw
            ? raw
            : 'The request could not be read';
    return { code, message, expected: true };
  }
  return { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side', expected: false };
}

/**
 * Registered first. Every error leaves as the envelope; a 5xx never carries its message, stack or
 * SQL. Expected errors log at debug, bugs at error (with the stack) for the operator.
 */
export function errorMiddleware(report?: (err: unknown, method: string, path: string) => void): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = {
          success: false,
          error: { code: 'NOT_FOUND', message: `No route for ${ctx.method} ${ctx.path}`, request_id: ctx.state.requestId },
        };
      }
    } catch (err) {
      const { code, message, details, expected } = describe(err);
      const log = ctx.state.log ?? ctx.app.context.log;
      if (expected) log?.debug({ code, message }, 'request rejected');
      else {
        log?.error({ err }, 'unhandled error');
        report?.(err, ctx.method, ctx.path);
        ctx.app.emit('error', err, ctx);
      }
      ctx.status = ERROR_STATUS[code];
      if (err instanceof RateLimitedError) ctx.set('Retry-After', String(err.retryAfterSeconds));
      ctx.body = {
        success: false,
        error: { code, message, ...(details === undefined ? {} : { details }), request_id: ctx.state.requestId },
      };
    }
  };
}
