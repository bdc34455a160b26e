export * from './otel-rows.js';
export { StoreBusyError, type TableCounts, type TelemetryWriter, type WriteOptions, type WriterStats } from './telemetry-writer.js';
export { BatchedTelemetryWriter, type BatchedWriterOptions, DEFAULT_WRITER_OPTIONS } from './batched-writer.js';
