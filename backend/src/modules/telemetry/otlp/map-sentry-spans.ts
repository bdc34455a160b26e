/**
 * Sentry span v2 spans → `otel_traces` rows. The SDK already speaks OpenTelemetry's model (ids,
 * parent, name, start/end), so the mapping is direct: typed attributes become the string map,
 * `sentry.op` gives the kind (as for transactions), "error" the Error status with
 * `sentry.status.message`; release, environment and SDK go to the resource attributes like the
 * transaction mapping's, so both lifecycles of one app look alike in the store.
 */
import type { AttributeMap, OtelSpanRow } from '../store/index.js';
import { kindOf, secondsToNanos } from './map-sentry-transaction.js';
import type { OtlpSource } from './otlp-source.js';
import { nanosToDateTime64 } from './otlp-values.js';
import { type SpanV2, SpanV2Schema } from './sentry-span-v2.schemas.js';

const KINDS: Record<string, string> = { server: 'Server', client: 'Client', producer: 'Producer', consumer: 'Consumer', internal: 'Internal' };

function attributeMap(attributes: SpanV2['attributes']): AttributeMap {
  const out: AttributeMap = {};
  for (const [key, attr] of Object.entries(attributes ?? {})) {
    const value = attr.value;
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  }
  return out;
}

export interface MappedSpans {
  rows: OtelSpanRow[];
  /** Items that were not spans (bad ids, no start): skipped, counted. */
  skipped: number;
}

export function mapSentrySpans(items: readonly unknown[], source: OtlpSource): MappedSpans {
  const rows: OtelSpanRow[] = [];
  let skipped = 0;
  for (const raw of items) {
    const parsed = SpanV2Schema.safeParse(raw);
    if (!parsed.success) {
      skipped += 1;
      continue;
    }
    const span = parsed.data;
    const attrs = attributeMap(span.attributes);
    const op = attrs['sentry.op'];
    const startNs = secondsToNanos(span.start_timestamp);
    const endNs = secondsToNanos(Math.max(span.start_timestamp, span.end_timestamp ?? span.start_timestamp));
    const error = span.status === 'error';
    const sdkName = attrs['sentry.sdk.name'];
    const sdkVersion = attrs['sentry.sdk.version'];
    rows.push({
      Timestamp: nanosToDateTime64(startNs),
      TraceId: span.trace_id,
      SpanId: span.span_id,
      ParentSpanId: span.parent_span_id ?? '',
      TraceState: '',
      SpanName: span.name,
      SpanKind: (span.kind && KINDS[span.kind.toLowerCase()]) || kindOf(op),
      ServiceName: source.serviceName,
      ResourceAttributes: {
        'service.name': source.serviceName,
        ...(attrs['sentry.release'] ? { 'service.version': attrs['sentry.release'] } : {}),
        ...(attrs['sentry.environment'] ? { 'deployment.environment.name': attrs['sentry.environment'] } : {}),
        ...(sdkName ? { 'telemetry.sdk.name': sdkName } : {}),
        ...(sdkVersion ? { 'telemetry.sdk.version': sdkVersion } : {}),
      },
      ScopeName: sdkName ?? 'sentry',
      ScopeVersion: sdkVersion ?? '',
      SpanAttributes: attrs,
      Duration: Number(endNs - startNs),
      // The SDK sends "ok" for unset too: only "error" is a verdict worth marking.
      StatusCode: error ? 'Error' : span.status === 'ok' ? 'Ok' : 'Unset',
      StatusMessage: error ? (attrs['sentry.status.message'] ?? 'error') : '',
      'Events.Timestamp': [],
      'Events.Name': [],
      'Events.Attributes': [],
      'Links.TraceId': (span.links ?? []).map((l) => l.trace_id),
      'Links.SpanId': (span.links ?? []).map((l) => l.span_id),
      'Links.TraceState': (span.links ?? []).map(() => ''),
      'Links.Attributes': (span.links ?? []).map((l) => attributeMap(l.attributes)),
      OrgId: source.orgId,
      ProjectId: source.projectId,
      ServiceId: source.serviceId,
      RetentionDays: source.retentionDays,
      DeploymentId: '',
    });
  }
  return { rows, skipped };
}
