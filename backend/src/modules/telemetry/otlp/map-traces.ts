/** OTLP spans → `otel_traces` rows, as the Collector's ClickHouse exporter fills them. */
import type { ExportTraceRequest, SpanEvent, SpanLink } from './otlp-model.js';
import type { OtelSpanRow } from '../store/index.js';
import { type MappedBatch, type OtlpSource, Rejections } from './otlp-source.js';
import { attributesToMap, clampNanos, hexId, MAX_NANOS, nanosToDateTime64, toBigInt } from './otlp-values.js';

/** pdata's `SpanKind.String()` / `StatusCode.String()`, which the exporter writes. */
export const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
export const STATUS_CODES = ['Unset', 'Ok', 'Error'] as const;

function eventColumns(events: SpanEvent[]) {
  return {
    'Events.Timestamp': events.map((e) => nanosToDateTime64(clampNanos(toBigInt(e.timeUnixNano)))),
    'Events.Name': events.map((e) => e.name ?? ''),
    'Events.Attributes': events.map((e) => attributesToMap(e.attributes)),
  };
}

function linkColumns(links: SpanLink[]) {
  return {
    'Links.TraceId': links.map((l) => hexId(l.traceId, 16) ?? ''),
    'Links.SpanId': links.map((l) => hexId(l.spanId, 8) ?? ''),
    'Links.TraceState': links.map((l) => l.traceState ?? ''),
    'Links.Attributes': links.map((l) => attributesToMap(l.attributes)),
  };
}


export function mapTraces(request: ExportTraceRequest, source: OtlpSource): MappedBatch<OtelSpanRow> {
  const rows: OtelSpanRow[] = [];
  const rejections = new Rejections();
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resourceAttributes = attributesToMap(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = scopeSpans.scope;
      for (const span of scopeSpans.spans ?? []) {
        const traceId = hexId(span.traceId, 16);
        const spanId = hexId(span.spanId, 8);
        const parentSpanId = hexId(span.parentSpanId, 8);
        if (!traceId || !spanId || parentSpanId === null) {
          rejections.reject('span without a 16-byte trace_id and an 8-byte span_id');
          continue;
        }
        const start = toBigInt(span.startTimeUnixNano);
        const end = toBigInt(span.endTimeUnixNano);
        if (start <= 0n || end > MAX_NANOS || end < start) {
          rejections.reject('span whose start time is missing or after its end time, or whose end is after 2262');
          continue;
        }
        rows.push({
          Timestamp: nanosToDateTime64(start),
          TraceId: traceId,
          SpanId: spanId,
          ParentSpanId: parentSpanId,
          TraceState: span.traceState ?? '',
          SpanName: span.name ?? '',
          SpanKind: SPAN_KINDS[span.kind ?? 0] ?? 'Unspecified',
          ServiceName: source.serviceName,
          ResourceAttributes: resourceAttributes,
          ScopeName: scope?.name ?? '',
          ScopeVersion: scope?.version ?? '',
          SpanAttributes: attributesToMap(span.attributes),
          Duration: Number(end - start),
          StatusCode: STATUS_CODES[span.status?.code ?? 0] ?? 'Unset',
          StatusMessage: span.status?.message ?? '',
          ...eventColumns(span.events ?? []),
          ...linkColumns(span.links ?? []),
          OrgId: source.orgId,
          ProjectId: source.projectId,
          ServiceId: source.serviceId,
          RetentionDays: source.retentionDays,
          DeploymentId: '',
        });
      }
    }
  }
  return { rows, rejected: rejections.count, firstError: rejections.first };
}
