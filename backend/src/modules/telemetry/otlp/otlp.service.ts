/**
 * OTLP export requests → rows → the store. Knows nothing of HTTP: answers what was rejected, throws
 * OtlpDecodeError (bad data), AllRejectedError (nothing usable) or the writer's StoreBusyError.
 */
import type { ResolvedClientKey } from '../../ingest/ports.js';
import { mapLogs } from './map-logs.js';
import { mapMetrics } from './map-metrics.js';
import { mapTraces } from './map-traces.js';
import { decodeRequest, type OtlpEncoding } from './otlp-decode.js';
import type { OtlpSignal } from './otlp-model.js';
import type { PartialSuccess } from './otlp-proto.js';
import type { OtlpSource } from './otlp-source.js';
import { StoreBusyError, type TelemetryWriter } from '../store/index.js';
import type { MetricRows } from './map-metrics.js';

/** The Syntra service's name for the exporter's ServiceName column; null when unknown. */
export type ServiceNameLookup = (serviceId: string) => Promise<string | null>;
/** How many days an organisation's telemetry is kept. */
export type RetentionLookup = (orgId: string) => Promise<number>;
export const DEFAULT_RETENTION_DAYS = 30;

export class AllRejectedError extends Error {}
/** The store failed for a reason other than lag (ClickHouse down, say): retryable, 503. */
export class StoreUnavailableError extends Error {}

const NAME_CACHE_MS = 60_000;

/** Each metric kind to its table; the writes run side by side and the request is acknowledged after all. */
async function writeMetrics(writer: TelemetryWriter, rows: MetricRows): Promise<void> {
  await Promise.all([
    writer.write('otel_metrics_gauge', rows.gauge),
    writer.write('otel_metrics_sum', rows.sum),
    writer.write('otel_metrics_histogram', rows.histogram),
    writer.write('otel_metrics_exponential_histogram', rows.exponentialHistogram),
    writer.write('otel_metrics_summary', rows.summary),
  ]);
}

export class OtlpIngestService {
  private readonly sources = new Map<string, { at: number; name: string; retentionDays: number }>();

  constructor(
    private readonly writer: TelemetryWriter,
    private readonly serviceName: ServiceNameLookup,
    private readonly retentionDays: RetentionLookup = async () => DEFAULT_RETENTION_DAYS,
  ) {}

  /** Throws StoreBusyError when the store would refuse a write now: checked before reading the body. */
  admit(): void {
    this.writer.admit();
  }

  /** Decodes, maps and writes one request; resolves after the rows are written. */
  async export(signal: OtlpSignal, encoding: OtlpEncoding, body: Buffer, key: ResolvedClientKey): Promise<PartialSuccess | null> {
    const source = await this.sourceOf(key);
    let written: number;
    let rejected: number;
    let firstError: string | null;
    if (signal === 'logs') {
      const mapped = mapLogs(decodeRequest('logs', encoding, body), source, BigInt(Date.now()) * 1_000_000n);
      ({ rejected, firstError } = mapped);
      written = mapped.rows.length;
      if (written > 0) await this.write(() => this.writer.write('otel_logs', mapped.rows));
    } else if (signal === 'traces') {
      const mapped = mapTraces(decodeRequest('traces', encoding, body), source);
      ({ rejected, firstError } = mapped);
      written = mapped.rows.length;
      if (written > 0) await this.write(() => this.writer.write('otel_traces', mapped.rows));
    } else {
      const mapped = mapMetrics(decodeRequest('metrics', encoding, body), source);
      ({ rejected, firstError } = mapped);
      written = mapped.rowCount;
      if (written > 0) await this.write(() => writeMetrics(this.writer, mapped.rows));
    }
    if (rejected === 0) return null;
    const errorMessage = `${rejected} rejected: ${firstError ?? 'invalid'}`;
    if (written === 0) throw new AllRejectedError(errorMessage);
    return { rejected, errorMessage };
  }

  private async write(insert: () => Promise<void>): Promise<void> {
    try {
      await insert();
    } catch (err) {
      if (err instanceof StoreBusyError) throw err;
      throw new StoreUnavailableError((err as Error).message, { cause: err });
    }
  }

  private async sourceOf(key: ResolvedClientKey): Promise<OtlpSource> {
    const now = Date.now();
    let cached = this.sources.get(key.serviceId);
    if (!cached || now - cached.at > NAME_CACHE_MS) {
      const [name, retentionDays] = await Promise.all([this.serviceName(key.serviceId), this.retentionDays(key.orgId)]);
      cached = { at: now, name: name ?? key.serviceId, retentionDays };
      if (this.sources.size >= 10_000) this.sources.clear();
      this.sources.set(key.serviceId, cached);
    }
    return { orgId: key.orgId, projectId: key.projectId, serviceId: key.serviceId, serviceName: cached.name, retentionDays: cached.retentionDays };
  }
}
