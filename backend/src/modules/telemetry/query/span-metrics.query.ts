import type { SpanMetrics } from '@syntra/shared';
import type { BoundedQuery } from './bounded.js';
import { C, T } from './schema.js';
import { and, Params } from './sql.js';

export interface SpanMetricsFilter {
  orgId: string;
  serviceId?: string | undefined;
  fromMs: number;
  toMs: number;
  step: number;
}

/**
 * Request rate, error rate and latency percentiles (RED) derived from spans: a service's entry
 * spans (server kind, or roots) per time bucket. Percentiles are ClickHouse's `quantiles`
 * (reservoir sampling of up to 8192 durations per bucket: exact for small buckets, close for large).
 */
export class SpanMetricsQuery {
  constructor(private readonly q: BoundedQuery) {}

  private where(f: Omit<SpanMetricsFilter, 'step'>, p: Params) {
    const where = [
      `${C.org} = ${p.add(f.orgId, C.idType)}`,
      `Timestamp >= fromUnixTimestamp64Milli(${p.add(f.fromMs, 'Int64')}) AND Timestamp < fromUnixTimestamp64Milli(${p.add(f.toMs, 'Int64')})`,
      `ParentSpanId = '' OR SpanKind IN ('Server', 'SPAN_KIND_SERVER')`,
    ];
    if (f.serviceId) where.push(`${C.service} = ${p.add(f.serviceId, C.idType)}`);
    return and(where);
  }

  /** The whole window in one aggregate: requests, error share and p95 (ms) of the entry spans; null without any. */
  async stats(f: Omit<SpanMetricsFilter, 'step'>): Promise<{ requests: number; errorRate: number; p95Ms: number } | null> {
    const p = new Params();
    const [row] = await this.q.rows<{ n: string; errors: string; p95: number }>(
      `SELECT count() AS n, countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR')) AS errors, quantile(0.95)(Duration) AS p95 FROM ${T.traces} WHERE ${this.where(f, p)}`,
      p,
    );
    const requests = Number(row?.n ?? 0);
    if (!row || requests === 0) return null;
    return { requests, errorRate: Number(row.errors) / requests, p95Ms: Number(row.p95) / 1e6 };
  }

  async points(f: SpanMetricsFilter): Promise<SpanMetrics['points']> {
    const p = new Params();
    const stepMs = p.add(f.step * 1000, 'Int64');
    const where = this.where(f, p);
    const rows = await this.q.rows<{ t: string; n: string; errors: string; q: number[] }>(
      `SELECT toString(intDiv(toUnixTimestamp64Milli(Timestamp), ${stepMs}) * ${stepMs}) AS t, count() AS n,
         countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR')) AS errors, quantiles(0.5, 0.95, 0.99)(Duration) AS q
       FROM ${T.traces} WHERE ${where} GROUP BY t ORDER BY t LIMIT 10000`,
      p,
    );
    return rows.map((r) => [Number(r.t), Number(r.n) / f.step, Number(r.errors) / f.step, (r.q[0] ?? 0) / 1e6, (r.q[1] ?? 0) / 1e6, (r.q[2] ?? 0) / 1e6]);
  }
}
