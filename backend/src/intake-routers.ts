import type { Middleware } from 'koa';
import type { AppDeps } from './deps.js';
import { sentryIntake } from './modules/ingest/index.js';

/**
 * The intake paths, one list (contract 2): the Sentry intake here; the OTLP router (`/v1/logs`,
 * `/v1/traces`, `/v1/metrics`, from the telemetry module) is added to it at merge.
 */
export const INTAKE_ROUTERS: ReadonlyArray<(deps: AppDeps) => Middleware> = [
  (deps) => sentryIntake(deps.services.intake.service, deps.services.intake.limits.maxEnvelopeBytes),
];

/** The paths `syntra start` hands to the intake app instead of the API (Sentry's and OTLP's). */
export function isIntakePath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0]!;
  return /^\/api\/\d{1,12}\/(envelope|store)\/?$/.test(path) || /^\/v1\/(logs|traces|metrics)\/?$/.test(path);
}
