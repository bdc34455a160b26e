/**
 * The ClickHouse tables and Syntra's own columns the queries read (the store owns them:
 * modules/telemetry/store and db/clickhouse). Named once here so a schema change is one edit.
 * Exporter columns (Timestamp, Body, LogAttributes, …) are written inline in the SQL: they are the
 * OpenTelemetry Collector exporter's names and do not change.
 */
export const T = {
  logs: 'otel_logs',
  traces: 'otel_traces',
  traceIdTs: 'otel_traces_trace_id_ts',
  gauge: 'otel_metrics_gauge',
  sum: 'otel_metrics_sum',
  histogram: 'otel_metrics_histogram',
} as const;

/** Syntra's columns on every telemetry table, and the ClickHouse type a parameter compared with them takes. */
export const C = {
  org: 'OrgId',
  service: 'ServiceId',
  deployment: 'DeploymentId',
  server: 'ServerId',
  /** OrgId, ServiceId, ServerId are UUID columns; DeploymentId is a String ('' when none). */
  idType: 'UUID',
  deploymentType: 'String',
} as const;
