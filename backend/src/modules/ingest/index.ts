export type * from './ports.js';
export { IntakeCounters, type IntakeCounter } from './intake-counters.js';
export { Intake, type IntakeOptions } from './intake.js';
export { DEFAULT_LIMITS, IntakeError, IntakeService, type IntakeKeyResolver, type IntakeLimits } from './intake.service.js';
export { IngestConsumer, type ConsumerOptions } from './ingest-consumer.js';
export { SENTRY_INTAKE_PATH, sentryIntake } from './sentry.routes.js';
export { parseEnvelope, EnvelopeError } from './envelope.js';
export { ingestRoutes } from './ingest.routes.js';
