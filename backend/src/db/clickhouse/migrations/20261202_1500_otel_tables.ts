// The OpenTelemetry Collector ClickHouse exporter's tables (same names and column names, so Grafana's
// ClickHouse plugin and existing queries work), with Syntra's tenancy columns first in every sort key:
// a query is always scoped by org (and nearly always by service), so those prefixes prune the most.
//
// Differences from the exporter, and why:
// - OrgId, ProjectId, ServiceId, DeploymentId (and ServerId on metrics: the agents' host samples have
//   no service) lead each table.
// - RetentionDays is set per row at insert from the org's retention; the TTL reads it, so one table
//   serves orgs with different retention. Rows are deleted at merges (no ttl_only_drop_parts: a part
//   mixes orgs, and a short retention must not wait for the longest one in its part).
// - non_replicated_deduplication_window: inserts carry insert_deduplication_token (an agent's batch
//   id), so a batch resent after a lost ack is stored once.
// - All times are DateTime64(9) (the exporter moved some metric tables to DateTime; we keep nanoseconds).

const TENANCY = `
    OrgId UUID,
    ProjectId UUID,
    ServiceId UUID,
    DeploymentId String CODEC(ZSTD(1)),`;

const ATTRIBUTE_MAP = 'Map(LowCardinality(String), String) CODEC(ZSTD(1))';

const mapIndexes = (column: string, name: string) => `
    INDEX idx_${name}_key mapKeys(${column}) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_${name}_value mapValues(${column}) TYPE bloom_filter(0.01) GRANULARITY 1,`;

const TABLE_SETTINGS = 'SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 10000';

const otelLogs = `
CREATE TABLE IF NOT EXISTS otel_logs (${TENANCY}
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimestampTime DateTime DEFAULT toDateTime(Timestamp),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    TraceFlags UInt8,
    SeverityText LowCardinality(String) CODEC(ZSTD(1)),
    SeverityNumber UInt8,
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Body String CODEC(ZSTD(1)),
    ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes ${ATTRIBUTE_MAP},
    ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes ${ATTRIBUTE_MAP},
    LogAttributes ${ATTRIBUTE_MAP},
    RetentionDays UInt16 DEFAULT 30,
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,${mapIndexes('ResourceAttributes', 'res_attr')}${mapIndexes('LogAttributes', 'log_attr')}
    INDEX idx_body Body TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8,
    INDEX idx_body_lower lower(Body) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8,
    INDEX idx_severity SeverityNumber TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(TimestampTime)
PRIMARY KEY (OrgId, ServiceId, TimestampTime)
ORDER BY (OrgId, ServiceId, TimestampTime, Timestamp)
TTL TimestampTime + toIntervalDay(RetentionDays)
${TABLE_SETTINGS}`;

const otelTraces = `
CREATE TABLE IF NOT EXISTS otel_traces (${TENANCY}
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes ${ATTRIBUTE_MAP},
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes ${ATTRIBUTE_MAP},
    Duration UInt64 CODEC(T64, ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    RetentionDays UInt16 DEFAULT 30,
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,${mapIndexes('ResourceAttributes', 'res_attr')}${mapIndexes('SpanAttributes', 'span_attr')}
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1,
    INDEX idx_lower_span_name lower(SpanName) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
) ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
PRIMARY KEY (OrgId, ServiceId, SpanName, toDateTime(Timestamp))
ORDER BY (OrgId, ServiceId, SpanName, toDateTime(Timestamp), Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay(RetentionDays)
${TABLE_SETTINGS}`;

// A trace's time range by id, so "trace by id" reads one day's partitions instead of all of them.
const traceIdLookup = `
CREATE TABLE IF NOT EXISTS otel_traces_trace_id_ts (
    OrgId UUID,
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1)),
    RetentionDays SimpleAggregateFunction(max, UInt16)
) ENGINE = AggregatingMergeTree
PARTITION BY toStartOfWeek(Start)
ORDER BY (OrgId, TraceId)
TTL Start + toIntervalDay(RetentionDays)
SETTINGS index_granularity = 8192`;

const traceIdLookupView = `
CREATE MATERIALIZED VIEW IF NOT EXISTS otel_traces_trace_id_ts_mv TO otel_traces_trace_id_ts
AS SELECT
    OrgId,
    TraceId,
    min(toDateTime(Timestamp)) AS Start,
    max(toDateTime(Timestamp)) AS End,
    max(RetentionDays) AS RetentionDays
FROM otel_traces
WHERE TraceId != ''
GROUP BY OrgId, TraceId`;

const EXEMPLARS = `
    Exemplars Nested (
        FilteredAttributes Map(LowCardinality(String), String),
        TimeUnix DateTime64(9),
        Value Float64,
        SpanId String,
        TraceId String
    ) CODEC(ZSTD(1)),`;

function metricTable(name: string, columns: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${name} (${TENANCY}
    ServerId UUID,
    ResourceAttributes ${ATTRIBUTE_MAP},
    ResourceSchemaUrl String CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    ScopeAttributes ${ATTRIBUTE_MAP},
    ScopeDroppedAttrCount UInt32 CODEC(ZSTD(1)),
    ScopeSchemaUrl String CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription String CODEC(ZSTD(1)),
    MetricUnit String CODEC(ZSTD(1)),
    Attributes ${ATTRIBUTE_MAP},
    StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
    TimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),${columns}
    RetentionDays UInt16 DEFAULT 30,${mapIndexes('ResourceAttributes', 'res_attr')}${mapIndexes('Attributes', 'attr')}
    INDEX idx_server_id ServerId TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_time_minmax TimeUnix TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
PRIMARY KEY (OrgId, ServiceId, MetricName, ServerId, toStartOfHour(TimeUnix))
ORDER BY (OrgId, ServiceId, MetricName, ServerId, toStartOfHour(TimeUnix), cityHash64(Attributes), TimeUnix)
TTL toDateTime(TimeUnix) + toIntervalDay(RetentionDays)
${TABLE_SETTINGS}`;
}

const gauge = metricTable('otel_metrics_gauge', `
    Value Float64 CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),${EXEMPLARS}`);

const sum = metricTable('otel_metrics_sum', `
    Value Float64 CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),${EXEMPLARS}
    AggregationTemporality Int32 CODEC(ZSTD(1)),
    IsMonotonic Bool CODEC(Delta, ZSTD(1)),`);

const histogram = metricTable('otel_metrics_histogram', `
    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(ZSTD(1)),
    BucketCounts Array(UInt64) CODEC(ZSTD(1)),
    ExplicitBounds Array(Float64) CODEC(ZSTD(1)),${EXEMPLARS}
    Flags UInt32 CODEC(ZSTD(1)),
    Min Float64 CODEC(ZSTD(1)),
    Max Float64 CODEC(ZSTD(1)),
    AggregationTemporality Int32 CODEC(ZSTD(1)),`);

const exponentialHistogram = metricTable('otel_metrics_exponential_histogram', `
    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(ZSTD(1)),
    Scale Int32 CODEC(ZSTD(1)),
    ZeroCount UInt64 CODEC(ZSTD(1)),
    PositiveOffset Int32 CODEC(ZSTD(1)),
    PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),
    NegativeOffset Int32 CODEC(ZSTD(1)),
    NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),${EXEMPLARS}
    Flags UInt32 CODEC(ZSTD(1)),
    Min Float64 CODEC(ZSTD(1)),
    Max Float64 CODEC(ZSTD(1)),
    AggregationTemporality Int32 CODEC(ZSTD(1)),`);

const summary = metricTable('otel_metrics_summary', `
    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(ZSTD(1)),
    ValueAtQuantiles Nested (
        Quantile Float64,
        Value Float64
    ) CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),`);

// The error issue's events (issue 12) once they move here from PostgreSQL: one row per event, the
// group (issue) it was assigned to, and the raw payload for the event page.
const errorEvents = `
CREATE TABLE IF NOT EXISTS error_events (${TENANCY}
    EventId String CODEC(ZSTD(1)),
    GroupId String CODEC(ZSTD(1)),
    Timestamp DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    ReceivedAt DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    Level LowCardinality(String) CODEC(ZSTD(1)),
    Environment LowCardinality(String) CODEC(ZSTD(1)),
    Release String CODEC(ZSTD(1)),
    Platform LowCardinality(String) CODEC(ZSTD(1)),
    Message String CODEC(ZSTD(1)),
    ExceptionType String CODEC(ZSTD(1)),
    Culprit String CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    Fingerprint String CODEC(ZSTD(1)),
    Tags ${ATTRIBUTE_MAP},
    Payload String CODEC(ZSTD(3)),
    RetentionDays UInt16 DEFAULT 90,
    INDEX idx_event_id EventId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,${mapIndexes('Tags', 'tags')}
    INDEX idx_message Message TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
) ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (OrgId, ServiceId, GroupId, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay(RetentionDays)
${TABLE_SETTINGS}`;

/** Each statement is idempotent (IF NOT EXISTS): a run cut short, or two api nodes racing, re-runs safely. */
export const statements: readonly string[] = [otelLogs, otelTraces, traceIdLookup, traceIdLookupView, gauge, sum, histogram, exponentialHistogram, summary, errorEvents];
