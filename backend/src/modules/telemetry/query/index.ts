export { TelemetryQueryService, type TelemetryQueryDeps } from './telemetry-query.service.js';
export { DEFAULT_QUERY_LIMITS, QueryTooBroadError, type QueryLimits } from './bounded.js';
export { DEFAULT_TAIL_OPTIONS, LogTail, type LogTailOptions, type LogTailSink, type TailLogRow } from './live-tail.js';
export { tailingWriter } from './tailing-writer.js';
export type { AggregateFilter, WindowAgg } from './metrics.query.js';
