/** OTLP log records → `otel_logs` rows, column for column as the Collector's ClickHouse exporter fills them. */
import type { ExportLogsRequest } from './otlp-model.js';
import type { OtelLogRow } from '../store/index.js';
import { type MappedBatch, type OtlpSource, Rejections } from './otlp-source.js';
import { anyValueToString, attributesToMap, fitUnsigned, hexId, MAX_NANOS, nanosToDateTime64, toBigInt } from './otlp-values.js';

export function mapLogs(request: ExportLogsRequest, source: OtlpSource, receivedNanos: bigint): MappedBatch<OtelLogRow> {
  const rows: OtelLogRow[] = [];
  const rejections = new Rejections();
  for (const resourceLogs of request.resourceLogs ?? []) {
    const resourceAttributes = attributesToMap(resourceLogs.resource?.attributes);
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const scope = scopeLogs.scope;
      const scopeAttributes = attributesToMap(scope?.attributes);
      for (const record of scopeLogs.logRecords ?? []) {
        const traceId = hexId(record.traceId, 16);
        const spanId = hexId(record.spanId, 8);
        if (traceId === null || spanId === null) {
          rejections.reject('log record with a trace_id that is not 16 bytes or a span_id that is not 8 bytes');
          continue;
        }
        // The exporter's rule: the event time, else when it was observed; ours adds "else on arrival".
        let nanos = toBigInt(record.timeUnixNano);
        if (nanos === 0n) nanos = toBigInt(record.observedTimeUnixNano);
        if (nanos === 0n) nanos = receivedNanos;
        if (nanos < 0n || nanos > MAX_NANOS) {
          rejections.reject('log record with a timestamp outside 1970–2262');
          continue;
        }
        rows.push({
          Timestamp: nanosToDateTime64(nanos),
          TraceId: traceId,
          SpanId: spanId,
          TraceFlags: (record.flags ?? 0) & 0xff,
          SeverityText: record.severityText ?? '',
          SeverityNumber: fitUnsigned(record.severityNumber, 8),
          ServiceName: source.serviceName,
          Body: anyValueToString(record.body),
          ResourceSchemaUrl: resourceLogs.schemaUrl ?? '',
          ResourceAttributes: resourceAttributes,
          ScopeSchemaUrl: scopeLogs.schemaUrl ?? '',
          ScopeName: scope?.name ?? '',
          ScopeVersion: scope?.version ?? '',
          ScopeAttributes: scopeAttributes,
          // The store has no EventName column (older exporter schema): the event name is an attribute.
          LogAttributes: record.eventName ? { ...attributesToMap(record.attributes), 'event.name': record.eventName } : attributesToMap(record.attributes),
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
