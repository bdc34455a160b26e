/**
 * PENDING the store's row types (clickhouse's `modules/telemetry/store/otel-rows.ts`): the
 * OpenTelemetry Collector ClickHouse exporter's columns plus Syntra's. Replaced by an import at merge.
 */
export interface SyntraColumns {
  OrgId: string;
  ProjectId: string;
  ServiceId: string;
  DeploymentId: string;
}
type AttrMap = Record<string, string>;

export interface OtelLogRow extends SyntraColumns {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  TraceFlags: number;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  Body: string;
  ResourceSchemaUrl: string;
  ResourceAttributes: AttrMap;
  ScopeSchemaUrl: string;
  ScopeName: string;
  ScopeVersion: string;
  ScopeAttributes: AttrMap;
  LogAttributes: AttrMap;
  EventName: string;
}

export interface OtelTraceRow extends SyntraColumns {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: AttrMap;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: AttrMap;
  Duration: number;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': AttrMap[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': AttrMap[];
}

interface MetricBase extends SyntraColumns {
  ResourceAttributes: AttrMap;
  ResourceSchemaUrl: string;
  ScopeName: string;
  ScopeVersion: string;
  ScopeAttributes: AttrMap;
  ScopeDroppedAttrCount: number;
  ScopeSchemaUrl: string;
  ServiceName: string;
  MetricName: string;
  MetricDescription: string;
  MetricUnit: string;
  Attributes: AttrMap;
  StartTimeUnix: string;
  TimeUnix: string;
  Flags: number;
  'Exemplars.FilteredAttributes': AttrMap[];
  'Exemplars.TimeUnix': string[];
  'Exemplars.Value': number[];
  'Exemplars.SpanId': string[];
  'Exemplars.TraceId': string[];
}
export interface OtelGaugeRow extends MetricBase {
  Value: number;
}
export interface OtelSumRow extends MetricBase {
  Value: number;
  AggregationTemporality: number;
  IsMonotonic: boolean;
}
export interface OtelHistogramRow extends MetricBase {
  Count: number;
  Sum: number;
  BucketCounts: number[];
  ExplicitBounds: number[];
  Min: number;
  Max: number;
  AggregationTemporality: number;
}
export interface OtelExponentialHistogramRow extends MetricBase {
  Count: number;
  Sum: number;
  Scale: number;
  ZeroCount: number;
  PositiveOffset: number;
  PositiveBucketCounts: number[];
  NegativeOffset: number;
  NegativeBucketCounts: number[];
  Min: number;
  Max: number;
  AggregationTemporality: number;
}
export interface OtelSummaryRow extends MetricBase {
  Count: number;
  Sum: number;
  'ValueAtQuantiles.Quantile': number[];
  'ValueAtQuantiles.Value': number[];
}
