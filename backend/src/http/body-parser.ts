import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { jsonDeeperThan } from '@syntra/shared';
import { ValidationError } from '../errors.js';

/**
 * No request schema nests deeper than a few levels, and free-form JSON fields are bounded at
 * MAX_JSON_DEPTH (32) by their schema. A body nested beyond this is refused before any handler,
 * logger or JSON.stringify walks it recursively (a 20k-deep value overflowed the stack: a 500).
 */
export const MAX_BODY_DEPTH = 64;

/** JSON bodies only, size-limited, depth-limited; parser errors reach the error middleware as 4xx. */
export function jsonBodyParser(limitBytes: number): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, encoding: 'utf-8' });
  return async (ctx, next) => {
    let parsed = false;
    try {
      await parse(ctx, async () => {
        parsed = true;
        if (jsonDeeperThan(ctx.request.body, MAX_BODY_DEPTH)) {
          // Dropped so nothing downstream (request logging, error reporting) walks it either.
          ctx.request.body = undefined;
          throw new ValidationError(`Request body is nested deeper than ${MAX_BODY_DEPTH} levels`, { in: 'body' });
        }
        await next();
      });
    } catch (err) {
      // A zlib error (a gzip/deflate body that is not one) carries no HTTP status: it is still the client's.
      if (!parsed && !(err as { status?: unknown }).status) throw new ValidationError('Request body could not be read (check its content-encoding)', { in: 'body' });
      throw err;
    }
  };
}
