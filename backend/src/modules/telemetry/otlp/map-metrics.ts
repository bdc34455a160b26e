/**
 * OTLP metrics → the exporter's five tables (`otel_metrics_gauge|sum|histogram|exponential_histogram|
 * summary`), one row per data point. Temporality and monotonicity are kept as sent: turning
 * cumulative sums into rates is the query side's job, and needs to know which they were.
 */
import type { Exemplar, ExportMetricsRequest, Int64, KeyValue, Metric } from './otlp-model.js';
import type {
  OtelExponentialHistogramRow,
  OtelGaugeRow,
  OtelHistogramRow,
  OtelSumRow,
  OtelSummaryRow,
} from '../store/index.js';
import { type OtlpSource, Rejections } from './otlp-source.js';
import type { AggregationTemporality } from '../store/index.js';
import { attributesToMap, clampNanos, fitInt32, fitUnsigned, hexId, MAX_NANOS, nanosToDateTime64, toBigInt, toCount } from './otlp-values.js';

export interface MetricRows {
  gauge: OtelGaugeRow[];
  sum: OtelSumRow[];
  histogram: OtelHistogramRow[];
  exponentialHistogram: OtelExponentialHistogramRow[];
  summary: OtelSummaryRow[];
}
export interface MappedMetrics {
  rows: MetricRows;
  rowCount: number;
  rejected: number;
  firstError: string | null;
}

interface PointCommon {
  attributes?: KeyValue[] | null;
  startTimeUnixNano?: Int64 | null;
  timeUnixNano?: Int64 | null;
  exemplars?: Exemplar[] | null;
  flags?: number | null;
}

/** A point's value: its double, else its (signed) integer, into the Float64 column. */
const numberValue = (p: { asDouble?: number | null; asInt?: Int64 | null }) => (p.asDouble ?? null) !== null ? (p.asDouble as number) : Number(toBigInt(p.asInt));

function exemplarColumns(exemplars: Exemplar[]) {
  return {
    'Exemplars.FilteredAttributes': exemplars.map((e) => attributesToMap(e.filteredAttributes)),
    'Exemplars.TimeUnix': exemplars.map((e) => nanosToDateTime64(clampNanos(toBigInt(e.timeUnixNano)))),
    'Exemplars.Value': exemplars.map(numberValue),
    'Exemplars.SpanId': exemplars.map((e) => hexId(e.spanId, 8) ?? ''),
    'Exemplars.TraceId': exemplars.map((e) => hexId(e.traceId, 16) ?? ''),
  };
}

export function mapMetrics(request: ExportMetricsRequest, source: OtlpSource): MappedMetrics {
  const rows: MetricRows = { gauge: [], sum: [], histogram: [], exponentialHistogram: [], summary: [] };
  const rejections = new Rejections();
  let rowCount = 0;
  for (const resourceMetrics of request.resourceMetrics ?? []) {
    const resourceAttributes = attributesToMap(resourceMetrics.resource?.attributes);
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const scope = scopeMetrics.scope;
      const scopeAttributes = attributesToMap(scope?.attributes);
      for (const metric of scopeMetrics.metrics ?? []) {
        if (!metric.name) {
          rejections.reject('metric without a name');
          continue;
        }
        /** The columns every table shares, or null (rejected) for a point without a usable time. */
        const common = (point: PointCommon) => {
          const time = toBigInt(point.timeUnixNano);
          const start = toBigInt(point.startTimeUnixNano);
          if (time <= 0n || time > MAX_NANOS || start < 0n || start > MAX_NANOS) {
            rejections.reject(`data point of ${metric.name} without a time_unix_nano in 1970–2262`);
            return null;
          }
          rowCount += 1;
          return {
            ResourceAttributes: resourceAttributes,
            ResourceSchemaUrl: resourceMetrics.schemaUrl ?? '',
            ScopeName: scope?.name ?? '',
            ScopeVersion: scope?.version ?? '',
            ScopeAttributes: scopeAttributes,
            ScopeDroppedAttrCount: 0,
            ScopeSchemaUrl: scopeMetrics.schemaUrl ?? '',
            ServiceName: source.serviceName,
            MetricName: metric.name as string,
            MetricDescription: metric.description ?? '',
            MetricUnit: metric.unit ?? '',
            Attributes: attributesToMap(point.attributes),
            StartTimeUnix: nanosToDateTime64(start),
            TimeUnix: nanosToDateTime64(time),
            Flags: fitUnsigned(point.flags, 32),
            // The summary table has no exemplar columns (the exporter's schema): its rows leave them out.
            ...(metric.summary ? {} : exemplarColumns(point.exemplars ?? [])),
            OrgId: source.orgId,
            ProjectId: source.projectId,
            ServiceId: source.serviceId,
            RetentionDays: source.retentionDays,
            DeploymentId: '',
          };
        };
        mapOneMetric(metric, common, rows, rejections);
      }
    }
  }
  return { rows, rowCount, rejected: rejections.count, firstError: rejections.first };
}

/** OTLP's enum (0 unspecified, 1 delta, 2 cumulative); a value from a newer spec reads as unspecified. */
const temporalityOf = (value: number | null | undefined): AggregationTemporality => (value === 1 || value === 2 ? value : 0);

type Common = (point: PointCommon) => Omit<OtelGaugeRow, 'Value'> | null;

function mapOneMetric(metric: Metric, common: Common, rows: MetricRows, rejections: Rejections): void {
  if (metric.gauge) {
    for (const p of metric.gauge.dataPoints ?? []) {
      const c = common(p);
      if (c) rows.gauge.push({ ...c, Value: numberValue(p) });
    }
  } else if (metric.sum) {
    const { aggregationTemporality, isMonotonic } = metric.sum;
    for (const p of metric.sum.dataPoints ?? []) {
      const c = common(p);
      if (c) rows.sum.push({ ...c, Value: numberValue(p), AggregationTemporality: temporalityOf(aggregationTemporality), IsMonotonic: isMonotonic ?? false });
    }
  } else if (metric.histogram) {
    const temporality = temporalityOf(metric.histogram.aggregationTemporality);
    for (const p of metric.histogram.dataPoints ?? []) {
      const buckets = (p.bucketCounts ?? []).map(toCount);
      const bounds = p.explicitBounds ?? [];
      // The spec: either no buckets, or exactly one more bucket than bounds.
      if (buckets.length !== 0 && buckets.length !== bounds.length + 1) {
        rejections.reject(`histogram point of ${metric.name} with ${buckets.length} buckets for ${bounds.length} bounds`);
        continue;
      }
      const c = common(p);
      if (c) {
        rows.histogram.push({
          ...c,
          Count: toCount(p.count),
          Sum: p.sum ?? 0,
          BucketCounts: buckets,
          ExplicitBounds: bounds,
          Min: p.min ?? 0,
          Max: p.max ?? 0,
          AggregationTemporality: temporality,
        });
      }
    }
  } else if (metric.exponentialHistogram) {
    const temporality = temporalityOf(metric.exponentialHistogram.aggregationTemporality);
    for (const p of metric.exponentialHistogram.dataPoints ?? []) {
      const c = common(p);
      if (c) {
        rows.exponentialHistogram.push({
          ...c,
          Count: toCount(p.count),
          Sum: p.sum ?? 0,
          Scale: fitInt32(p.scale),
          ZeroCount: toCount(p.zeroCount),
          PositiveOffset: fitInt32(p.positive?.offset),
          PositiveBucketCounts: (p.positive?.bucketCounts ?? []).map(toCount),
          NegativeOffset: fitInt32(p.negative?.offset),
          NegativeBucketCounts: (p.negative?.bucketCounts ?? []).map(toCount),
          Min: p.min ?? 0,
          Max: p.max ?? 0,
          AggregationTemporality: temporality,
        });
      }
    }
  } else if (metric.summary) {
    for (const p of metric.summary.dataPoints ?? []) {
      const c = common(p);
      if (c) {
        const quantiles = p.quantileValues ?? [];
        rows.summary.push({
          ...c,
          Count: toCount(p.count),
          Sum: p.sum ?? 0,
          'ValueAtQuantiles.Quantile': quantiles.map((q) => q.quantile ?? 0),
          'ValueAtQuantiles.Value': quantiles.map((q) => q.value ?? 0),
        });
      }
    }
  } else {
    rejections.reject(`metric ${metric.name} without data (gauge, sum, histogram, exponential_histogram or summary)`);
  }
}
