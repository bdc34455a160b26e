// The telemetry module's public face: each part appends its exports (store, otlp, query).
export { otlpRouter, OTLP_MAX_BODY_BYTES, type OtlpRouterDeps } from './otlp/otlp.routes.js';
export type { OtlpRowWriter } from './otlp/otlp-writer.js';
export { StoreBusyError } from './otlp/otlp-writer.js';
export type { ServiceNameLookup } from './otlp/otlp.service.js';
export { SentryTransactionProcessor } from './otlp/sentry-transactions.processor.js';
