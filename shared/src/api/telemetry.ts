import { z } from 'zod';
import { queryInt4, storableDateTime } from './bounds.js';
import { IdSchema, TimestampSchema } from './common.js';
import { hasNoNul, NUL_MESSAGE, text } from './strings.js';

// Query API of logs, traces and metrics (issue 13). Every search names a time range, and the span
// it may cover is capped here, in the request schema, so an absurd range is a 400 before any query
// is planned; the backend adds row, byte and time limits as ClickHouse settings on top.

/** Longest range a log or trace search may cover. */
export const MAX_SEARCH_SPAN_MS = 7 * 86_400_000;
/** Longest range a metrics query may cover (points are aggregated, so it can see further). */
export const MAX_METRICS_SPAN_MS = 31 * 86_400_000;
/** Most points one series may have (`(to - from) / step`), so a tiny step over a month is a 400. */
export const MAX_POINTS_PER_SERIES = 2_000;

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

/**
 * `from` / `to`: ISO 8601 (with Z or an offset) or epoch milliseconds, read as epoch ms. Years
 * outside 2000–2200 are refused: nothing was stored then, and ClickHouse's DateTime64 cannot say them.
 */
export const TimeParamSchema = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = /^\d{1,15}$/.test(value) ? Number(value) : z.iso.datetime({ offset: true }).safeParse(value).success ? Date.parse(value) : Number.NaN;
    if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
      ctx.addIssue({ code: 'custom', message: 'an ISO 8601 date-time (2026-12-01T10:00:00Z) or epoch milliseconds between 2000 and 2200' });
      return z.NEVER;
    }
    return ms;
  });

/** The range rule every search shares: `from` before `to`, no longer than `maxSpan`. */
function checkRange(maxSpanMs: number) {
  return (q: { from: number; to: number }, ctx: z.RefinementCtx) => {
    if (q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
    else if (q.to - q.from > maxSpanMs) ctx.addIssue({ code: 'custom', path: ['from'], message: `the range may cover at most ${Math.round(maxSpanMs / 86_400_000)} days; narrow it` });
  };
}

export const SEVERITY_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export const SeverityLevelSchema = z.enum(SEVERITY_LEVELS);
export type SeverityLevel = z.infer<typeof SeverityLevelSchema>;

/** `severity=error,warn`: any of these levels. */
const SeverityListSchema = z
  .string()
  .max(100)
  .transform((value, ctx) => {
    const levels = [...new Set(value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
    const bad = levels.find((l) => !(SEVERITY_LEVELS as readonly string[]).includes(l));
    if (bad) {
      ctx.addIssue({ code: 'custom', message: `unknown severity "${bad}" (one or more of ${SEVERITY_LEVELS.join(', ')}, comma-separated)` });
      return z.NEVER;
    }
    return levels as SeverityLevel[];
  });

/** OTLP ids in hex, as the OTLP/JSON spec writes them (32 hex digits for a trace, 16 for a span). */
export const TraceIdSchema = z.string().length(32, '32 hex digits').regex(/^[0-9a-fA-F]{32}$/, '32 hex digits').transform((s) => s.toLowerCase());
export const SpanIdSchema = z.string().length(16, '16 hex digits').regex(/^[0-9a-fA-F]{16}$/, '16 hex digits').transform((s) => s.toLowerCase());

/** An `attr.<key>` query parameter: the key as OTel names attributes (dots, slashes, dashes). */
export const ATTR_PREFIX = 'attr.';
const ATTR_KEY = /^attr\.[\w.\-:/@]{1,128}$/;
export const MAX_ATTR_FILTERS = 10;

/** Words of `q` and the `attr.*` pairs of a query object (the rest of its keys are the schema's own). */
function checkAttrKeys(known: readonly string[]) {
  return (q: Record<string, unknown>, ctx: z.RefinementCtx) => {
    // `org_id` may name the organisation in the query instead of X-Org-Id (the router reads it).
    const extra = Object.keys(q).filter((k) => !known.includes(k) && k !== 'org_id');
    for (const key of extra) {
      if (!ATTR_KEY.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: `unknown parameter "${key.slice(0, 60)}" (attribute filters are attr.<key>=<value>)` });
    }
    if (extra.length > MAX_ATTR_FILTERS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_ATTR_FILTERS} attribute filters` });
  };
}

/** The `attr.<key>` filters of a parsed query, as `{key: value}`. */
export function attributeFilters(q: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (k.startsWith(ATTR_PREFIX) && typeof v === 'string') out[k.slice(ATTR_PREFIX.length)] = v;
  return out;
}

const AttrValueSchema = text(500);
const SearchTextSchema = z.string().max(500).refine(hasNoNul, NUL_MESSAGE);
const LimitSchema = (max: number, dflt: number) => queryInt4(1, max).default(dflt);

/** Keyset cursor of a telemetry list: `<unix nanoseconds>-<row hash>` (opaque to clients). */
export const TelemetryCursorSchema = z.string().max(42).regex(/^\d{1,20}-\d{1,20}$/, 'not a cursor of this list (pass back next_cursor as it was given)');

const logFilterShape = {
  from: TimeParamSchema,
  to: TimeParamSchema,
  service_id: IdSchema.optional(),
  q: SearchTextSchema.optional(),
  severity: SeverityListSchema.optional(),
  trace_id: TraceIdSchema.optional(),
  deployment_id: IdSchema.optional(),
};
const LOG_KEYS = [...Object.keys(logFilterShape), 'limit', 'cursor'];

export const LogsQuerySchema = z
  .object({ ...logFilterShape, limit: LimitSchema(1000, 200), cursor: TelemetryCursorSchema.optional() })
  .catchall(AttrValueSchema)
  .superRefine(checkRange(MAX_SEARCH_SPAN_MS))
  .superRefine(checkAttrKeys(LOG_KEYS));
export type LogsQuery = z.infer<typeof LogsQuerySchema>;

/** The seed's `GET /services/:serviceId/logs`, with the explorer's filters (its range stays optional: the last `tail` lines). */
export const ServiceLogsQuerySchema = z
  .object({
    since: storableDateTime({ offset: true }).optional(),
    until: storableDateTime({ offset: true }).optional(),
    tail: queryInt4(1, 5000).default(200),
    q: SearchTextSchema.optional(),
    severity: SeverityListSchema.optional(),
    trace_id: TraceIdSchema.optional(),
    deployment_id: IdSchema.optional(),
  })
  .catchall(AttrValueSchema)
  .superRefine(checkAttrKeys(['since', 'until', 'tail', 'q', 'severity', 'trace_id', 'deployment_id']));
export type ServiceLogsQuery = z.infer<typeof ServiceLogsQuerySchema>;

export const LogRecordSchema = z.object({
  /** Opaque key of this line (for context and cursors). */
  id: z.string(),
  timestamp: TimestampSchema,
  /** Nanoseconds since the epoch, as a string (JS numbers cannot hold them). */
  timestamp_ns: z.string(),
  severity: SeverityLevelSchema,
  severity_text: z.string(),
  severity_number: z.number().int(),
  body: z.string(),
  service_id: IdSchema.nullable(),
  service_name: z.string(),
  attributes: z.record(z.string(), z.string()),
  resource_attributes: z.record(z.string(), z.string()),
  trace_id: z.string(),
  span_id: z.string(),
  deployment_id: IdSchema.nullable(),
});
export type LogRecord = z.infer<typeof LogRecordSchema>;

export const LogRecordPageSchema = z.object({ items: z.array(LogRecordSchema), next_cursor: z.string().nullable() });

export const LogFacetsQuerySchema = z
  .object(logFilterShape)
  .catchall(AttrValueSchema)
  .superRefine(checkRange(MAX_SEARCH_SPAN_MS))
  .superRefine(checkAttrKeys(Object.keys(logFilterShape)));
export type LogFacetsQuery = z.infer<typeof LogFacetsQuerySchema>;
export const LogFacetsSchema = z.object({ severity: z.record(SeverityLevelSchema, z.number().int()), total: z.number().int() });

export const LogContextQuerySchema = z.object({
  /** The line's `id` (from a log answer). */
  id: z.string().max(42).regex(/^\d{1,20}-\d{1,20}$/, 'a log line id from a log answer'),
  service_id: IdSchema.optional(),
  before: LimitSchema(200, 20),
  after: LimitSchema(200, 20),
});
export type LogContextQuery = z.infer<typeof LogContextQuerySchema>;
export const LogContextSchema = z.object({ before: z.array(LogRecordSchema), line: LogRecordSchema.nullable(), after: z.array(LogRecordSchema) });

// ---- traces ----

export const TracesQuerySchema = z
  .object({
    from: TimeParamSchema,
    to: TimeParamSchema,
    service_id: IdSchema.optional(),
    operation: text(300).optional(),
    min_duration_ms: z.coerce.number().min(0).max(86_400_000).optional(),
    status: z.enum(['error', 'ok']).optional(),
    limit: LimitSchema(200, 50),
    cursor: TelemetryCursorSchema.optional(),
  })
  .superRefine(checkRange(MAX_SEARCH_SPAN_MS));
export type TracesQuery = z.infer<typeof TracesQuerySchema>;

export const TraceSummarySchema = z.object({
  trace_id: z.string(),
  root_span_id: z.string(),
  service_id: IdSchema.nullable(),
  service_name: z.string(),
  operation: z.string(),
  start: TimestampSchema,
  duration_ms: z.number(),
  span_count: z.number().int(),
  error: z.boolean(),
  status: z.string(),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;
export const TracePageSchema = z.object({ items: z.array(TraceSummarySchema), next_cursor: z.string().nullable() });

export const TraceParams = z.object({ traceId: TraceIdSchema });

export const SpanSchema = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  parent_span_id: z.string(),
  name: z.string(),
  kind: z.string(),
  service_id: IdSchema.nullable(),
  service_name: z.string(),
  start: TimestampSchema,
  start_ns: z.string(),
  /** Milliseconds (fractional). */
  duration: z.number(),
  status: z.object({ code: z.string(), message: z.string() }),
  attributes: z.record(z.string(), z.string()),
  resource_attributes: z.record(z.string(), z.string()),
  events: z.array(z.object({ name: z.string(), timestamp: TimestampSchema, attributes: z.record(z.string(), z.string()) })),
  links: z.array(z.object({ trace_id: z.string(), span_id: z.string(), attributes: z.record(z.string(), z.string()) })),
});
export type Span = z.infer<typeof SpanSchema>;
export const TraceSchema = z.object({ trace_id: z.string(), spans: z.array(SpanSchema) });
export type Trace = z.infer<typeof TraceSchema>;

// ---- metrics ----

export const METRIC_AGGS = ['avg', 'sum', 'min', 'max', 'count', 'rate', 'p50', 'p95', 'p99'] as const;
export const MetricAggSchema = z.enum(METRIC_AGGS);
export type MetricAgg = z.infer<typeof MetricAggSchema>;

function checkPoints(q: { from: number; to: number; step: number }, ctx: z.RefinementCtx) {
  if ((q.to - q.from) / 1000 / q.step > MAX_POINTS_PER_SERIES) ctx.addIssue({ code: 'custom', path: ['step'], message: `at most ${MAX_POINTS_PER_SERIES} points per series: use a larger step` });
}

export const MetricsQuerySchema = z
  .object({
    from: TimeParamSchema,
    to: TimeParamSchema,
    service_id: IdSchema.optional(),
    /** Host metrics of one server (the agents' samples carry it). */
    server_id: IdSchema.optional(),
    name: text(300).min(1),
    step: queryInt4(1, 86_400).default(60),
    agg: MetricAggSchema.default('avg'),
    group_by: text(128).optional(),
  })
  .superRefine(checkRange(MAX_METRICS_SPAN_MS))
  .superRefine(checkPoints);
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>;

export const DeployMarkerSchema = z.object({
  deployment_id: IdSchema,
  service_id: IdSchema,
  at: TimestampSchema,
  status: z.string(),
  git_commit_sha: z.string().nullable(),
});
export type DeployMarker = z.infer<typeof DeployMarkerSchema>;

export const MetricSeriesSchema = z.object({
  /** The `group_by` attribute's value ('' when not grouped or absent). */
  group: z.string(),
  /** `[unix ms, value]`; a bucket without data is absent. */
  points: z.array(z.tuple([z.number(), z.number()])),
});
export const MetricsAnswerSchema = z.object({
  name: z.string(),
  type: z.enum(['gauge', 'sum', 'histogram', 'none']),
  unit: z.string(),
  agg: MetricAggSchema,
  step: z.number().int(),
  series: z.array(MetricSeriesSchema),
  markers: z.array(DeployMarkerSchema),
});
export type MetricsAnswer = z.infer<typeof MetricsAnswerSchema>;

export const MetricNamesQuerySchema = z.object({ service_id: IdSchema.optional(), server_id: IdSchema.optional() });
export type MetricNamesQuery = z.infer<typeof MetricNamesQuerySchema>;
export const MetricNameSchema = z.object({ name: z.string(), type: z.enum(['gauge', 'sum', 'histogram']), unit: z.string(), description: z.string() });
export const MetricNamesSchema = z.object({ items: z.array(MetricNameSchema) });

/** Request rate, error rate and latency percentiles derived from a service's server/root spans. */
export const SpanMetricsQuerySchema = z
  .object({ from: TimeParamSchema, to: TimeParamSchema, service_id: IdSchema.optional(), step: queryInt4(1, 86_400).default(60) })
  .superRefine(checkRange(MAX_METRICS_SPAN_MS))
  .superRefine(checkPoints);
export type SpanMetricsQuery = z.infer<typeof SpanMetricsQuerySchema>;
export const SpanMetricsSchema = z.object({
  step: z.number().int(),
  /** `[unix ms, requests/s, errors/s, p50 ms, p95 ms, p99 ms]`. */
  points: z.array(z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()])),
  markers: z.array(DeployMarkerSchema),
});
export type SpanMetrics = z.infer<typeof SpanMetricsSchema>;

/** A line of the seed's service log answer: its fields, plus what the store now knows of the line. */
export const ServiceLogLineSchema = z.object({
  ts: TimestampSchema,
  deployment_id: IdSchema.nullable(),
  stream: z.string(),
  line: z.string(),
  severity: SeverityLevelSchema,
  trace_id: z.string(),
  span_id: z.string(),
  attributes: z.record(z.string(), z.string()),
});
export type ServiceLogLine = z.infer<typeof ServiceLogLineSchema>;
