/**
 * The OTLP request messages as this module reads them, written from the OTLP protobuf definitions
 * (opentelemetry-proto v1). Both decoders produce this shape: protobufjs's decoded messages as they
 * are, and the JSON decoder's output after it turned hex ids into bytes and enum names into numbers.
 * 64-bit integers arrive as numbers, decimal strings or protobufjs `Long`s (anything with toString).
 */

export type Int64 = number | string | LongLike;
/** protobufjs's Long (its halves as signed 32-bit numbers), or anything else that prints as a decimal. */
export interface LongLike {
  low?: number;
  high?: number;
  unsigned?: boolean;
  toString(): string;
}
type Opt<T> = T | null | undefined;

export interface AnyValue {
  stringValue?: Opt<string>;
  boolValue?: Opt<boolean>;
  intValue?: Opt<Int64>;
  doubleValue?: Opt<number>;
  arrayValue?: Opt<{ values?: Opt<AnyValue[]> }>;
  kvlistValue?: Opt<{ values?: Opt<KeyValue[]> }>;
  bytesValue?: Opt<Uint8Array>;
}
export interface KeyValue {
  key?: Opt<string>;
  value?: Opt<AnyValue>;
}
export interface Resource {
  attributes?: Opt<KeyValue[]>;
}
export interface Scope {
  name?: Opt<string>;
  version?: Opt<string>;
  attributes?: Opt<KeyValue[]>;
}

// ---- logs ----------------------------------------------------------------------------------------
export interface LogRecord {
  timeUnixNano?: Opt<Int64>;
  observedTimeUnixNano?: Opt<Int64>;
  severityNumber?: Opt<number>;
  severityText?: Opt<string>;
  body?: Opt<AnyValue>;
  attributes?: Opt<KeyValue[]>;
  flags?: Opt<number>;
  traceId?: Opt<Uint8Array>;
  spanId?: Opt<Uint8Array>;
  eventName?: Opt<string>;
}
export interface ScopeLogs {
  scope?: Opt<Scope>;
  logRecords?: Opt<LogRecord[]>;
  schemaUrl?: Opt<string>;
}
export interface ResourceLogs {
  resource?: Opt<Resource>;
  scopeLogs?: Opt<ScopeLogs[]>;
  schemaUrl?: Opt<string>;
}
export interface ExportLogsRequest {
  resourceLogs?: Opt<ResourceLogs[]>;
}

// ---- traces --------------------------------------------------------------------------------------
export interface SpanEvent {
  timeUnixNano?: Opt<Int64>;
  name?: Opt<string>;
  attributes?: Opt<KeyValue[]>;
}
export interface SpanLink {
  traceId?: Opt<Uint8Array>;
  spanId?: Opt<Uint8Array>;
  traceState?: Opt<string>;
  attributes?: Opt<KeyValue[]>;
}
export interface Span {
  traceId?: Opt<Uint8Array>;
  spanId?: Opt<Uint8Array>;
  traceState?: Opt<string>;
  parentSpanId?: Opt<Uint8Array>;
  name?: Opt<string>;
  kind?: Opt<number>;
  startTimeUnixNano?: Opt<Int64>;
  endTimeUnixNano?: Opt<Int64>;
  attributes?: Opt<KeyValue[]>;
  events?: Opt<SpanEvent[]>;
  links?: Opt<SpanLink[]>;
  status?: Opt<{ message?: Opt<string>; code?: Opt<number> }>;
}
export interface ScopeSpans {
  scope?: Opt<Scope>;
  spans?: Opt<Span[]>;
  schemaUrl?: Opt<string>;
}
export interface ResourceSpans {
  resource?: Opt<Resource>;
  scopeSpans?: Opt<ScopeSpans[]>;
  schemaUrl?: Opt<string>;
}
export interface ExportTraceRequest {
  resourceSpans?: Opt<ResourceSpans[]>;
}

// ---- metrics -------------------------------------------------------------------------------------
export interface Exemplar {
  filteredAttributes?: Opt<KeyValue[]>;
  timeUnixNano?: Opt<Int64>;
  asDouble?: Opt<number>;
  asInt?: Opt<Int64>;
  spanId?: Opt<Uint8Array>;
  traceId?: Opt<Uint8Array>;
}
interface PointBase {
  attributes?: Opt<KeyValue[]>;
  startTimeUnixNano?: Opt<Int64>;
  timeUnixNano?: Opt<Int64>;
  exemplars?: Opt<Exemplar[]>;
  flags?: Opt<number>;
}
export interface NumberDataPoint extends PointBase {
  asDouble?: Opt<number>;
  asInt?: Opt<Int64>;
}
export interface HistogramDataPoint extends PointBase {
  count?: Opt<Int64>;
  sum?: Opt<number>;
  bucketCounts?: Opt<Int64[]>;
  explicitBounds?: Opt<number[]>;
  min?: Opt<number>;
  max?: Opt<number>;
}
export interface ExponentialHistogramDataPoint extends PointBase {
  count?: Opt<Int64>;
  sum?: Opt<number>;
  scale?: Opt<number>;
  zeroCount?: Opt<Int64>;
  positive?: Opt<{ offset?: Opt<number>; bucketCounts?: Opt<Int64[]> }>;
  negative?: Opt<{ offset?: Opt<number>; bucketCounts?: Opt<Int64[]> }>;
  min?: Opt<number>;
  max?: Opt<number>;
}
export interface SummaryDataPoint extends PointBase {
  count?: Opt<Int64>;
  sum?: Opt<number>;
  quantileValues?: Opt<Array<{ quantile?: Opt<number>; value?: Opt<number> }>>;
}
export interface Metric {
  name?: Opt<string>;
  description?: Opt<string>;
  unit?: Opt<string>;
  gauge?: Opt<{ dataPoints?: Opt<NumberDataPoint[]> }>;
  sum?: Opt<{ dataPoints?: Opt<NumberDataPoint[]>; aggregationTemporality?: Opt<number>; isMonotonic?: Opt<boolean> }>;
  histogram?: Opt<{ dataPoints?: Opt<HistogramDataPoint[]>; aggregationTemporality?: Opt<number> }>;
  exponentialHistogram?: Opt<{ dataPoints?: Opt<ExponentialHistogramDataPoint[]>; aggregationTemporality?: Opt<number> }>;
  summary?: Opt<{ dataPoints?: Opt<SummaryDataPoint[]> }>;
  metadata?: Opt<KeyValue[]>;
}
export interface ScopeMetrics {
  scope?: Opt<Scope>;
  metrics?: Opt<Metric[]>;
  schemaUrl?: Opt<string>;
}
export interface ResourceMetrics {
  resource?: Opt<Resource>;
  scopeMetrics?: Opt<ScopeMetrics[]>;
  schemaUrl?: Opt<string>;
}
export interface ExportMetricsRequest {
  resourceMetrics?: Opt<ResourceMetrics[]>;
}

export type OtlpSignal = 'logs' | 'traces' | 'metrics';
export interface OtlpRequestBySignal {
  logs: ExportLogsRequest;
  traces: ExportTraceRequest;
  metrics: ExportMetricsRequest;
}
