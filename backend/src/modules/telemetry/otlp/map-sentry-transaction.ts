/**
 * A Sentry transaction → `otel_traces` rows: the transaction itself is the root span (its
 * `contexts.trace`), each entry of `spans` a child. Sentry's span status ("ok", "internal_error",
 * "not_found", …) becomes Ok / Error; its `op` gives the span kind where the convention says one.
 */
import type { OtelSpanRow } from '../store/index.js';
import type { OtlpSource } from './otlp-source.js';
import { nanosToDateTime64 } from './otlp-values.js';
import { type SentrySpan, SentrySpanSchema, type SentryTransaction } from './sentry-transaction.schemas.js';

const secondsToNanos = (seconds: number) => BigInt(Math.round(seconds * 1e6)) * 1000n;

function statusOf(status: string | null | undefined): { code: string; message: string } {
  if (!status || status === 'unknown' || status === 'unset') return { code: 'Unset', message: '' };
  if (status === 'ok') return { code: 'Ok', message: '' };
  return { code: 'Error', message: status };
}

function kindOf(op: string | null | undefined): string {
  if (!op) return 'Internal';
  if (op === 'http.server' || op.startsWith('function.') || op === 'rpc.server') return 'Server';
  if (op === 'http.client' || op.startsWith('db') || op.startsWith('cache') || op === 'rpc.client') return 'Client';
  if (op.startsWith('queue.publish')) return 'Producer';
  if (op.startsWith('queue.process') || op.startsWith('queue.task')) return 'Consumer';
  return 'Internal';
}

function stringMap(values: Record<string, unknown> | null | undefined, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === null || value === undefined) continue;
    out[prefix + key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

export interface MappedTransaction {
  rows: OtelSpanRow[];
  /** Child spans that were not spans (no span_id, no start): skipped, counted. */
  skippedSpans: number;
}

export function mapSentryTransaction(tx: SentryTransaction, eventId: string, source: OtlpSource): MappedTransaction {
  const trace = tx.contexts.trace;
  const resourceAttributes: Record<string, string> = {
    'service.name': source.serviceName,
    ...(tx.release ? { 'service.version': tx.release } : {}),
    ...(tx.environment ? { 'deployment.environment.name': tx.environment } : {}),
    ...(tx.sdk?.name ? { 'telemetry.sdk.name': tx.sdk.name } : {}),
    ...(tx.sdk?.version ? { 'telemetry.sdk.version': tx.sdk.version } : {}),
    ...(tx.platform ? { 'telemetry.sdk.language': tx.platform } : {}),
  };
  const row = (
    span: { span_id: string; parent_span_id?: string | null; op?: string | null; status?: string | null; origin?: string | null; data?: Record<string, unknown> | null },
    name: string,
    start: number,
    end: number,
    extra: Record<string, string>,
  ): OtelSpanRow => {
    const startNs = secondsToNanos(start);
    const endNs = secondsToNanos(Math.max(start, end));
    const status = statusOf(span.status);
    return {
      Timestamp: nanosToDateTime64(startNs),
      TraceId: trace.trace_id,
      SpanId: span.span_id,
      ParentSpanId: span.parent_span_id ?? '',
      TraceState: '',
      SpanName: name,
      SpanKind: kindOf(span.op),
      ServiceName: source.serviceName,
      ResourceAttributes: resourceAttributes,
      ScopeName: tx.sdk?.name ?? 'sentry',
      ScopeVersion: tx.sdk?.version ?? '',
      SpanAttributes: {
        ...stringMap(span.data),
        ...(span.op ? { 'sentry.op': span.op } : {}),
        ...(span.origin ? { 'sentry.origin': span.origin } : {}),
        'sentry.event_id': eventId,
        ...extra,
      },
      Duration: Number(endNs - startNs),
      StatusCode: status.code,
      StatusMessage: status.message,
      'Events.Timestamp': [],
      'Events.Name': [],
      'Events.Attributes': [],
      'Links.TraceId': [],
      'Links.SpanId': [],
      'Links.TraceState': [],
      'Links.Attributes': [],
      OrgId: source.orgId,
      ProjectId: source.projectId,
      ServiceId: source.serviceId,
      RetentionDays: source.retentionDays,
      DeploymentId: '',
    };
  };

  const measurements: Record<string, string> = {};
  for (const [name, m] of Object.entries(tx.measurements ?? {})) measurements[`sentry.measurement.${name}`] = String(m.value);
  const rows = [
    row(trace, tx.transaction ?? trace.op ?? 'transaction', tx.start_timestamp, tx.timestamp, {
      ...stringMap(tx.tags, 'sentry.tag.'),
      ...measurements,
    }),
  ];
  let skippedSpans = 0;
  for (const raw of tx.spans ?? []) {
    const parsed = SentrySpanSchema.safeParse(raw);
    if (!parsed.success) {
      skippedSpans += 1;
      continue;
    }
    const span: SentrySpan = parsed.data;
    const name = span.description ?? span.op ?? 'span';
    rows.push(row({ ...span, parent_span_id: span.parent_span_id ?? trace.span_id }, name, span.start_timestamp, span.timestamp ?? span.start_timestamp, stringMap(span.tags, 'sentry.tag.')));
  }
  return { rows, skippedSpans };
}
