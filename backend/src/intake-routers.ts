import type { DefaultState, Middleware } from 'koa';
import type { AppDeps } from './deps.js';
import { sentryIntake } from './modules/ingest/index.js';
import { otlpRouter } from './modules/telemetry/index.js';

/**
 * The intake paths, one list: Sentry's envelope/store endpoints and OTLP/HTTP (`/v1/logs`,
 * `/v1/traces`, `/v1/metrics`). Both read their raw bodies themselves (no body parser before them).
 */
/** A middleware or a router's `routes()` (whose context adds the router's own fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type IntakeMiddleware = Middleware<DefaultState, any>;

export const INTAKE_ROUTERS: ReadonlyArray<(deps: AppDeps) => IntakeMiddleware> = [
  (deps) => sentryIntake(deps.services.intake.service, deps.services.intake.limits.maxEnvelopeBytes),
  (deps) =>
    otlpRouter({
      keys: deps.services.clientKeys,
      writer: deps.services.telemetryWriter,
      serviceName: deps.services.serviceNames,
      retentionDays: (orgId) => deps.services.telemetryRetention.days(orgId),
      logger: deps.logger.child({ module: 'otlp' }),
    }).routes(),
];

/** The paths `syntra start` hands to the intake app instead of the API (Sentry's and OTLP's). */
export function isIntakePath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0]!;
  return /^\/api\/\d{1,12}\/(envelope|store)\/?$/.test(path) || /^\/v1\/(logs|traces|metrics)\/?$/.test(path);
}
