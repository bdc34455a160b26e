// The telemetry module (issue 13). Each part appends its exports: store (clickhouse), otlp, query (observe).
export * from './store/index.js';
export * from './query/index.js';
export { telemetryRoutes } from './telemetry.routes.js';
export { otlpRouter, OTLP_MAX_BODY_BYTES, type OtlpRouterDeps } from './otlp/otlp.routes.js';
export type { RetentionLookup, ServiceNameLookup } from './otlp/otlp.service.js';
export { SentryTransactionProcessor } from './otlp/sentry-transactions.processor.js';
