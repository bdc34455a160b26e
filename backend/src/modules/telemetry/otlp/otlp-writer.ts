/**
 * What the OTLP intake asks of the store: write rows and resolve once they are written (the
 * acknowledgement follows the write), or refuse with StoreBusyError when the store lags, which the
 * intake answers with 429/503 + Retry-After instead of buffering without bound.
 */
import type { OtelLogRow, OtelTraceRow } from './otel-rows.pending.js';
import type { MetricRows } from './map-metrics.js';

export interface OtlpRowWriter {
  writeLogs(rows: OtelLogRow[]): Promise<void>;
  writeTraces(rows: OtelTraceRow[]): Promise<void>;
  writeMetrics(rows: MetricRows): Promise<void>;
}

export class StoreBusyError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    /** 429 when this sender is over its share, 503 when the store as a whole lags. */
    readonly status: 429 | 503 = 503,
  ) {
    super(`Telemetry store is behind; retry in ${retryAfterSeconds} s`);
  }
}
