/**
 * The OTLP/HTTP JSON encoding (protobuf's JSON mapping with the OTLP exceptions): lowerCamelCase keys,
 * trace and span ids as hex (not base64), enums as numbers or names, 64-bit integers as numbers or
 * decimal strings, other bytes as base64. Each schema validates and turns the JSON into otlp-model's
 * shape, so both encodings share one mapping.
 */
import { z } from 'zod';
import type * as M from './otlp-model.js';

const enumOf = (names: readonly string[]) =>
  z.union([z.number().int().min(0), z.enum(names as [string, ...string[]])]).transform((v) => (typeof v === 'number' ? v : names.indexOf(v)));

const SEVERITY_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
];
const SeverityNumber = enumOf(SEVERITY_NAMES);
const SpanKind = enumOf(['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER']);
const StatusCode = enumOf(['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR']);
const Temporality = enumOf(['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE']);

/** Trace and span ids: hex, as the OTLP spec requires in JSON (length is checked by the mapping). */
const HexId = z
  .string()
  .regex(/^(?:[0-9a-fA-F]{2})*$/, 'must be hex (trace ids 32 digits, span ids 16)')
  .transform((hex) => Buffer.from(hex, 'hex'));
const Int64 = z.union([z.number().int(), z.string().regex(/^-?\d{1,20}$/, 'must be a decimal integer')]);
const Double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);
const Base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')
  .transform((b64) => Buffer.from(b64, 'base64'));

const KeyValue: z.ZodType<M.KeyValue, unknown> = z.lazy(() => z.object({ key: z.string(), value: AnyValue.optional() }));
const AnyValue: z.ZodType<M.AnyValue, unknown> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: Int64.optional(),
    doubleValue: Double.optional(),
    bytesValue: Base64.optional(),
    arrayValue: z.object({ values: z.array(AnyValue).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(KeyValue).optional() }).optional(),
  }),
);
const Attributes = z.array(KeyValue).optional();
const Resource = z.object({ attributes: Attributes }).optional();
const Scope = z.object({ name: z.string().optional(), version: z.string().optional(), attributes: Attributes }).optional();
const SchemaUrl = z.string().optional();

// ---- logs ----------------------------------------------------------------------------------------
const LogRecord = z.object({
  timeUnixNano: Int64.optional(),
  observedTimeUnixNano: Int64.optional(),
  severityNumber: SeverityNumber.optional(),
  severityText: z.string().optional(),
  body: AnyValue.optional(),
  attributes: Attributes,
  flags: z.number().int().min(0).optional(),
  traceId: HexId.optional(),
  spanId: HexId.optional(),
  eventName: z.string().optional(),
});
export const ExportLogsRequestSchema = z.object({
  resourceLogs: z
    .array(
      z.object({
        resource: Resource,
        schemaUrl: SchemaUrl,
        scopeLogs: z.array(z.object({ scope: Scope, schemaUrl: SchemaUrl, logRecords: z.array(LogRecord).optional() })).optional(),
      }),
    )
    .optional(),
}) satisfies z.ZodType<M.ExportLogsRequest, unknown>;

// ---- traces --------------------------------------------------------------------------------------
const Span = z.object({
  traceId: HexId.optional(),
  spanId: HexId.optional(),
  traceState: z.string().optional(),
  parentSpanId: HexId.optional(),
  name: z.string().optional(),
  kind: SpanKind.optional(),
  startTimeUnixNano: Int64.optional(),
  endTimeUnixNano: Int64.optional(),
  attributes: Attributes,
  events: z.array(z.object({ timeUnixNano: Int64.optional(), name: z.string().optional(), attributes: Attributes })).optional(),
  links: z
    .array(z.object({ traceId: HexId.optional(), spanId: HexId.optional(), traceState: z.string().optional(), attributes: Attributes }))
    .optional(),
  status: z.object({ message: z.string().optional(), code: StatusCode.optional() }).optional(),
});
export const ExportTraceRequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: Resource,
        schemaUrl: SchemaUrl,
        scopeSpans: z.array(z.object({ scope: Scope, schemaUrl: SchemaUrl, spans: z.array(Span).optional() })).optional(),
      }),
    )
    .optional(),
}) satisfies z.ZodType<M.ExportTraceRequest, unknown>;

// ---- metrics -------------------------------------------------------------------------------------
const Exemplar = z.object({
  filteredAttributes: Attributes,
  timeUnixNano: Int64.optional(),
  asDouble: Double.optional(),
  asInt: Int64.optional(),
  spanId: HexId.optional(),
  traceId: HexId.optional(),
});
const PointBase = {
  attributes: Attributes,
  startTimeUnixNano: Int64.optional(),
  timeUnixNano: Int64.optional(),
  exemplars: z.array(Exemplar).optional(),
  flags: z.number().int().min(0).optional(),
};
const NumberDataPoint = z.object({ ...PointBase, asDouble: Double.optional(), asInt: Int64.optional() });
const Buckets = z.object({ offset: z.number().int().optional(), bucketCounts: z.array(Int64).optional() }).optional();
const Metric = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  unit: z.string().optional(),
  gauge: z.object({ dataPoints: z.array(NumberDataPoint).optional() }).optional(),
  sum: z
    .object({ dataPoints: z.array(NumberDataPoint).optional(), aggregationTemporality: Temporality.optional(), isMonotonic: z.boolean().optional() })
    .optional(),
  histogram: z
    .object({
      aggregationTemporality: Temporality.optional(),
      dataPoints: z
        .array(
          z.object({
            ...PointBase,
            count: Int64.optional(),
            sum: Double.optional(),
            bucketCounts: z.array(Int64).optional(),
            explicitBounds: z.array(Double).optional(),
            min: Double.optional(),
            max: Double.optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  exponentialHistogram: z
    .object({
      aggregationTemporality: Temporality.optional(),
      dataPoints: z
        .array(
          z.object({
            ...PointBase,
            count: Int64.optional(),
            sum: Double.optional(),
            scale: z.number().int().optional(),
            zeroCount: Int64.optional(),
            positive: Buckets,
            negative: Buckets,
            min: Double.optional(),
            max: Double.optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  summary: z
    .object({
      dataPoints: z
        .array(
          z.object({
            ...PointBase,
            count: Int64.optional(),
            sum: Double.optional(),
            quantileValues: z.array(z.object({ quantile: Double.optional(), value: Double.optional() })).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export const ExportMetricsRequestSchema = z.object({
  resourceMetrics: z
    .array(
      z.object({
        resource: Resource,
        schemaUrl: SchemaUrl,
        scopeMetrics: z.array(z.object({ scope: Scope, schemaUrl: SchemaUrl, metrics: z.array(Metric).optional() })).optional(),
      }),
    )
    .optional(),
}) satisfies z.ZodType<M.ExportMetricsRequest, unknown>;
