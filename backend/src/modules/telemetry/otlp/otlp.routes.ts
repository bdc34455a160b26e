/**
 * OTLP/HTTP: `POST /v1/logs`, `/v1/traces`, `/v1/metrics`, answered as the OTLP/HTTP spec says —
 * `Export*ServiceResponse` (with `partial_success` when records were rejected) or a `google.rpc.Status`
 * body, in the request's encoding; 400/401/403/413/415 are final, 429/503 carry Retry-After.
 * The router reads the raw body itself, so it must be mounted before any body parser.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from '../../../logger.js';
import type { ClientKeyResolver } from '../../ingest/ports.js';
import { BodyEncodingError, BodyTooLargeError, decompressBody, readRawBody } from './otlp-body.js';
import { encodingOf, type OtlpEncoding } from './otlp-decode.js';
import type { OtlpSignal } from './otlp-model.js';
import { encodeProtobufResponse, encodeProtobufStatus, OtlpDecodeError, type PartialSuccess, REJECTED_FIELD } from './otlp-proto.js';
import { OtlpKeyAuth } from './otlp-auth.js';
import { AllRejectedError, OtlpIngestService, type RetentionLookup, type ServiceNameLookup, StoreUnavailableError } from './otlp.service.js';
import { StoreBusyError, type TelemetryWriter } from '../store/index.js';

/** The bound on a request body, after decompression. */
export const OTLP_MAX_BODY_BYTES = 20 * 1024 * 1024;
const UNAVAILABLE_RETRY_SECONDS = 5;

export interface OtlpRouterDeps {
  keys: ClientKeyResolver;
  writer: TelemetryWriter;
  /** The service's name for ServiceName; without it the service id is written there. */
  serviceName?: ServiceNameLookup;
  /** The organisation's retention in days (RetentionDays of its rows); 30 without it. */
  retentionDays?: RetentionLookup;
  logger: Logger;
  maxBodyBytes?: number;
}

/** google.rpc.Code of each answer, for the Status body. */
const RPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 3, 415: 3, 429: 8, 500: 13, 503: 14 };

function answer(ctx: Context, signal: OtlpSignal, encoding: OtlpEncoding, partial: PartialSuccess | null): void {
  ctx.status = 200;
  if (encoding === 'protobuf') {
    ctx.type = 'application/x-protobuf';
    ctx.body = Buffer.from(encodeProtobufResponse(signal, partial));
  } else {
    ctx.type = 'application/json';
    ctx.body = partial ? { partialSuccess: { [REJECTED_FIELD[signal]]: partial.rejected, errorMessage: partial.errorMessage } } : {};
  }
}

function fail(ctx: Context, encoding: OtlpEncoding, status: number, message: string, retryAfterSeconds?: number): void {
  ctx.status = status;
  if (retryAfterSeconds !== undefined) ctx.set('Retry-After', String(retryAfterSeconds));
  const code = RPC_CODE[status] ?? 2;
  if (encoding === 'protobuf') {
    ctx.type = 'application/x-protobuf';
    ctx.body = Buffer.from(encodeProtobufStatus(code, message));
  } else {
    ctx.type = 'application/json';
    ctx.body = { code, message };
  }
}

export function otlpRouter(deps: OtlpRouterDeps): Router {
  const auth = new OtlpKeyAuth(deps.keys);
  const service = new OtlpIngestService(deps.writer, deps.serviceName ?? (async () => null), deps.retentionDays);
  const limit = deps.maxBodyBytes ?? OTLP_MAX_BODY_BYTES;
  const log = deps.logger.child({ module: 'otlp' });
  const router = new Router();

  const handle = (signal: OtlpSignal) => async (ctx: Context) => {
    const encoding = encodingOf(ctx.get('content-type'));
    // An answer given before the body was read leaves it on the socket: that connection is not reused.
    let bodyRead = false;
    const unread = () => !bodyRead && ctx.set('Connection', 'close');
    if (!encoding) {
      unread();
      return fail(ctx, 'json', 415, 'Content-Type must be application/x-protobuf or application/json');
    }
    try {
      const check = await auth.check(ctx.req.headers);
      if (!check.ok) {
        unread();
        return fail(ctx, encoding, check.status, check.message);
      }
      // Shed load before reading and decoding up to 20 MiB the store could not take anyway.
      service.admit();
      const raw = await readRawBody(ctx.req, limit);
      bodyRead = true;
      const body = await decompressBody(raw, ctx.get('content-encoding'), limit);
      const partial = await service.export(signal, encoding, body, check.key);
      answer(ctx, signal, encoding, partial);
    } catch (err) {
      if (err instanceof OtlpDecodeError || err instanceof AllRejectedError) return fail(ctx, encoding, 400, err.message);
      if (err instanceof BodyTooLargeError) {
        unread();
        return fail(ctx, encoding, 413, err.message);
      }
      if (err instanceof BodyEncodingError) return fail(ctx, encoding, err.status, err.message);
      if (err instanceof StoreBusyError) {
        unread();
        return fail(ctx, encoding, err.status, err.message, err.retryAfterSeconds);
      }
      if (err instanceof StoreUnavailableError) {
        log.warn({ err: err.cause, signal }, 'telemetry store write failed');
        return fail(ctx, encoding, 503, 'Telemetry store unavailable; retry later', UNAVAILABLE_RETRY_SECONDS);
      }
      log.error({ err, signal }, 'OTLP export failed');
      return fail(ctx, encoding, 500, 'Something went wrong on our side');
    }
  };
  // With or without a trailing slash, as the intake app routes them (intake-routers' isIntakePath).
  for (const signal of ['logs', 'traces', 'metrics'] as const) router.post([`/v1/${signal}`, `/v1/${signal}/`], handle(signal));
  return router;
}
