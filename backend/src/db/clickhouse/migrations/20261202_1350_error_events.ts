// The error issue's events (issue 12) in ClickHouse: the grouping part's store (ClickHouseErrorEventStore).
// Replaces the placeholder table of 20261202_1500/1501 (never written: the error module wrote to
// PostgreSQL until now), keeping its column names so the writer's row type (ErrorEventRow) stays.
//
// - Sort key: OrgId, ProjectId, ServiceId, GroupId (the issue) first, then Timestamp and EventId: an
//   issue's events are one contiguous range, read newest first in key order.
// - ReplacingMergeTree on that key: a redelivered batch (the intake re-hands events after a crash, an
//   SDK resends) writes the same (service, event id, timestamp) again and the copies collapse; reads use
//   FINAL so copies not merged yet are never shown twice. Insert dedup tokens would only catch an
//   identical block, and a redelivered event rarely comes back in the same batch as before.
// - Payload is the normalised event as JSON, compressed by the column's codec (ZSTD) instead of in Node.
//   The writer sends it as a JSON object inside the row (read as its text: input_format_json_read_objects_as_strings,
//   on by default), so it is serialised once, not escaped into a string first; PayloadSize follows from it.
// - Daily partitions; TTL per row from RetentionDays (the org's error retention at insert), as the
//   otel tables do. Reads also cut at the org's current retention, so shortening it hides older
//   events at once; the TTL removes them at merges.

export const statements: readonly string[] = [
  'DROP TABLE IF EXISTS error_events SYNC',
  `
CREATE TABLE IF NOT EXISTS error_events (
    OrgId UUID,
    ProjectId UUID,
    ServiceId UUID,
    GroupId UUID,
    Timestamp DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    EventId String CODEC(ZSTD(1)),
    DeploymentId String CODEC(ZSTD(1)),
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
    UserIdHash String CODEC(ZSTD(1)),
    Tags Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Payload String CODEC(ZSTD(1)),
    PayloadSize UInt32 DEFAULT length(Payload),
    RetentionDays UInt16 DEFAULT 30,
    INDEX idx_event_id EventId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (OrgId, ProjectId, ServiceId, GroupId, Timestamp, EventId)
TTL toDateTime(Timestamp) + toIntervalDay(RetentionDays)
SETTINGS index_granularity = 8192`,
];
