// Rows of the telemetry tables as written with JSONEachRow, named as the OpenTelemetry Collector's
// ClickHouse exporter names its columns (backend/src/db/clickhouse/migrations/20261202_1500_otel_tables.ts).
// Omitted optional columns take the table's default ('' / 0 / empty map; RetentionDays 30).
//
// Times are strings `YYYY-MM-DD hh:mm:ss.fffffffff` in UTC (use `chTime`): the one input form a
// DateTime64(9) column reads the same on every server without input-format settings.
// Nested columns (Events, Links, Exemplars, ValueAtQuantiles) are written as parallel arrays
// named `Events.Name`, `Events.Timestamp`, … (ClickHouse's flattened Nested form).

export type AttributeMap = Record<string, string>;

/** Syntra's tenancy columns, leading every telemetry row (UUIDs; the zero UUID when not known). */
export interface TenancyColumns {
  OrgId: string;
  ProjectId?: string;
  ServiceId?: string;
  /** '' when the row is not tied to a deployment. */
  DeploymentId?: string;
  /** Days the row is kept (the org's retention at insert time). */
  RetentionDays?: number;
}

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export interface OtelLogRow extends TenancyColumns {
  Timestamp: string;
  TraceId?: string;
  SpanId?: string;
  TraceFlags?: number;
  SeverityText?: string;
  SeverityNumber?: number;
  ServiceName?: string;
  Body: string;
  ResourceSchemaUrl?: string;
  ResourceAttributes?: AttributeMap;
  ScopeSchemaUrl?: string;
  ScopeName?: string;
  ScopeVersion?: string;
  ScopeAttributes?: AttributeMap;
  LogAttributes?: AttributeMap;
}

export interface OtelSpanRow extends TenancyColumns {
  Timestamp: string;
  /** 32 lowercase hex characters. */
  TraceId: string;
  /** 16 lowercase hex characters. */
  SpanId: string;
  /** '' for a root span. */
  ParentSpanId?: string;
  TraceState?: string;
  SpanName: string;
  /** The exporter's spelling: `Unspecified`, `Internal`, `Server`, `Client`, `Producer`, `Consumer`. */
  SpanKind?: string;
  ServiceName?: string;
  ResourceAttributes?: AttributeMap;
  ScopeName?: string;
  ScopeVersion?: string;
  SpanAttributes?: AttributeMap;
  /** Nanoseconds. */
  Duration: number;
  /** `Unset`, `Ok` or `Error` (the exporter's spelling). */
  StatusCode?: string;
  StatusMessage?: string;
  'Events.Timestamp'?: string[];
  'Events.Name'?: string[];
  'Events.Attributes'?: AttributeMap[];
  'Links.TraceId'?: string[];
  'Links.SpanId'?: string[];
  'Links.TraceState'?: string[];
  'Links.Attributes'?: AttributeMap[];
}

interface MetricColumns extends TenancyColumns {
  /** The agent's server for host metrics (and service metrics it collected); zero UUID otherwise. */
  ServerId?: string;
  ResourceAttributes?: AttributeMap;
  ResourceSchemaUrl?: string;
  ScopeName?: string;
  ScopeVersion?: string;
  ScopeAttributes?: AttributeMap;
  ScopeDroppedAttrCount?: number;
  ScopeSchemaUrl?: string;
  ServiceName?: string;
  MetricName: string;
  MetricDescription?: string;
  MetricUnit?: string;
  Attributes?: AttributeMap;
  StartTimeUnix?: string;
  TimeUnix: string;
  Flags?: number;
}

interface ExemplarColumns {
  'Exemplars.FilteredAttributes'?: AttributeMap[];
  'Exemplars.TimeUnix'?: string[];
  'Exemplars.Value'?: number[];
  'Exemplars.SpanId'?: string[];
  'Exemplars.TraceId'?: string[];
}

/** OTLP AggregationTemporality: 1 delta, 2 cumulative. */
export type AggregationTemporality = 0 | 1 | 2;

export interface OtelGaugeRow extends MetricColumns, ExemplarColumns {
  Value: number;
}

export interface OtelSumRow extends MetricColumns, ExemplarColumns {
  Value: number;
  AggregationTemporality: AggregationTemporality;
  IsMonotonic: boolean;
}

export interface OtelHistogramRow extends MetricColumns, ExemplarColumns {
  Count: number;
  Sum: number;
  BucketCounts: number[];
  ExplicitBounds: number[];
  Min?: number;
  Max?: number;
  AggregationTemporality: AggregationTemporality;
}

export interface OtelExponentialHistogramRow extends MetricColumns, ExemplarColumns {
  Count: number;
  Sum: number;
  Scale: number;
  ZeroCount: number;
  PositiveOffset: number;
  PositiveBucketCounts: number[];
  NegativeOffset: number;
  NegativeBucketCounts: number[];
  Min?: number;
  Max?: number;
  AggregationTemporality: AggregationTemporality;
}

export interface OtelSummaryRow extends MetricColumns {
  Count: number;
  Sum: number;
  'ValueAtQuantiles.Quantile': number[];
  'ValueAtQuantiles.Value': number[];
}

/** An error event of issue 12 (the errors module writes it through the same writer). */
export interface ErrorEventRow extends TenancyColumns {
  EventId: string;
  GroupId: string;
  /** DateTime64(3): `chTime` works (extra digits are truncated). */
  Timestamp: string;
  ReceivedAt: string;
  Level?: string;
  Environment?: string;
  Release?: string;
  Platform?: string;
  Message?: string;
  ExceptionType?: string;
  Culprit?: string;
  TraceId?: string;
  SpanId?: string;
  Fingerprint?: string;
  /** Hash of the event's user (user.id, else email, else IP): the distinct users. */
  UserIdHash?: string;
  Tags?: AttributeMap;
  /** The normalised event, JSON (ClickHouse compresses the column; store it uncompressed). */
  Payload?: string;
  PayloadSize?: number;
}

/** Each telemetry table and the row it takes. */
export interface TelemetryTables {
  otel_logs: OtelLogRow;
  otel_traces: OtelSpanRow;
  otel_metrics_gauge: OtelGaugeRow;
  otel_metrics_sum: OtelSumRow;
  otel_metrics_histogram: OtelHistogramRow;
  otel_metrics_exponential_histogram: OtelExponentialHistogramRow;
  otel_metrics_summary: OtelSummaryRow;
  error_events: ErrorEventRow;
}
export type TelemetryTable = keyof TelemetryTables;
export const TELEMETRY_TABLES: readonly TelemetryTable[] = [
  'otel_logs',
  'otel_traces',
  'otel_metrics_gauge',
  'otel_metrics_sum',
  'otel_metrics_histogram',
  'otel_metrics_exponential_histogram',
  'otel_metrics_summary',
  'error_events',
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A time as a DateTime64(9) literal in UTC. Accepts a Date, epoch milliseconds, an ISO 8601 string,
 * or epoch nanoseconds as a bigint (OTLP's `time_unix_nano`, exact to the nanosecond).
 */
export function chTime(t: Date | number | string | bigint): string {
  let ms: number;
  let subMsNanos = 0;
  if (typeof t === 'bigint') {
    ms = Number(t / 1_000_000n);
    subMsNanos = Number(t % 1_000_000n);
  } else if (typeof t === 'string') {
    ms = Date.parse(t);
    const frac = /\.(\d+)/.exec(t)?.[1];
    // ISO strings may carry micro/nanoseconds that Date drops.
    if (frac && frac.length > 3) subMsNanos = Number(frac.slice(3, 9).padEnd(6, '0'));
  } else {
    ms = t instanceof Date ? t.getTime() : t;
  }
  if (!Number.isFinite(ms)) throw new RangeError(`Not a time: ${String(t)}`);
  const d = new Date(ms);
  const nanos = pad(d.getUTCMilliseconds(), 3) + pad(subMsNanos, 6);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${nanos}`;
}

/** A DateTime64 value as read back (`YYYY-MM-DD hh:mm:ss.fff…`, UTC) → ISO 8601 with milliseconds. */
export function fromChTime(value: string): string {
  return new Date(`${value.replace(' ', 'T').slice(0, 23)}Z`).toISOString();
}
