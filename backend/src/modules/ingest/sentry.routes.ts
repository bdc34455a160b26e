import type { IncomingMessage } from 'node:http';
import type { Context, Middleware } from 'koa';
import { IntakeError, type IntakeService } from './intake.service.js';

/** `/api/<project_ref>/envelope/` and `/api/<project_ref>/store/` (the trailing slash optional, as SDKs vary). */
export const SENTRY_INTAKE_PATH = /^\/api\/(\d{1,12})\/(envelope|store)\/?$/;

const ALLOW_HEADERS = 'x-sentry-auth, x-requested-with, origin, accept, content-type, content-encoding, authentication, authorization, baggage, sentry-trace';
const EXPOSE_HEADERS = 'x-sentry-error, x-sentry-rate-limits, retry-after';

class BodyTooLarge extends Error {}

/** The raw body, at most `limit` bytes (the declared length is checked first, then what arrives). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
    req.once('aborted', () => reject(new IntakeError(400, 'the request was aborted')));
  });
}

function answer(ctx: Context, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  ctx.status = status;
  for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
  if (status >= 400 && typeof body.detail === 'string') ctx.set('X-Sentry-Error', body.detail.slice(0, 200));
  ctx.body = body;
}

/**
 * The Sentry intake over HTTP. Any Content-Type is taken (none from the Node SDK,
 * application/x-sentry-envelope, text/plain from browsers avoiding a preflight): the path says what
 * the body is. Every refusal is a 4xx with `{"detail": …}`; only the stores being unreachable is a 503.
 */
export function sentryIntake(intake: IntakeService, maxBodyBytes: number): Middleware {
  return async (ctx, next) => {
    const m = SENTRY_INTAKE_PATH.exec(ctx.path);
    if (!m) return next();
    const projectRef = Number(m[1]);
    const origin = ctx.get('origin') || null;
    if (origin) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Vary', 'Origin');
      ctx.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    if (ctx.method === 'OPTIONS') {
      if (!origin || !(await intake.preflightAllowed(projectRef, origin).catch(() => false))) {
        ctx.remove('Access-Control-Allow-Origin');
        return answer(ctx, 403, { detail: 'origin not allowed' });
      }
      ctx.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', ALLOW_HEADERS);
      ctx.set('Access-Control-Max-Age', '3600');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'POST') return answer(ctx, 405, { detail: 'use POST' }, { Allow: 'POST, OPTIONS' });

    try {
      const body = await readBody(ctx.req, maxBodyBytes);
      const res = await intake.accept({
        projectRef,
        endpoint: m[2] as 'envelope' | 'store',
        query: new URLSearchParams(ctx.querystring),
        headers: ctx.headers,
        body,
        origin,
        clientIp: ctx.ip || null,
      });
      answer(ctx, res.status, res.body, res.headers);
    } catch (err) {
      if (err instanceof IntakeError) {
        if (origin && err.status === 403 && /origin/.test(err.message)) ctx.remove('Access-Control-Allow-Origin');
        return answer(ctx, err.status, { detail: err.message }, err.headers);
      }
      if (err instanceof BodyTooLarge) {
        ctx.set('Connection', 'close');
        return answer(ctx, 413, { detail: `the body is larger than ${maxBodyBytes} bytes` });
      }
      // Whatever the body was, it was handled above; what is left is the stores failing.
      (ctx.state.log as { warn?: (o: object, m: string) => void } | undefined)?.warn?.({ err }, 'intake could not store an envelope');
      answer(ctx, 503, { detail: 'the intake cannot store events right now; retry later' }, { 'Retry-After': '10' });
    }
  };
}

