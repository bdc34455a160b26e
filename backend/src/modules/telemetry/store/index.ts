export * from './otel-rows.js';
export { StoreBusyError, type TableCounts, type TelemetryWriter, type WriteOptions, type WriterStats } from './telemetry-writer.js';
export { BatchedTelemetryWriter, type BatchedWriterOptions, DEFAULT_WRITER_OPTIONS } from './batched-writer.js';
export { AgentLogIntake, type AgentLogIntakeDeps, type LoggedService } from './agent-logs.js';
export { ServiceLogReader, type RuntimeLogLine } from './service-logs.js';
export { parseLine, severityOf, type ParsedLine, type Severity } from './severity.js';
export { agentLogHubPorts } from './agent-log-link.js';
export { TelemetryRetention } from './retention.js';
export { insertRows, serializeRows, type SerializedRows } from './raw-insert.js';
