import type { ServerMetricPoint } from '@syntra/shared';

/**
 * What alerting reads from other modules, given at construction (services.ts): health results,
 * host metrics, error event counts, log counts, span and metric series, where a service lives.
 */
export interface AlertDataPorts {
  health: {
    recentResults(serviceId: string, n: number): Promise<boolean[]>;
    resultCounts(serviceId: string, from: Date, to: Date): Promise<{ total: number; healthy: number }>;
  };
  /** Error events (issue 12's store): counts for `error_rate`. */
  errors: { eventCount(orgId: string, where: { serviceId?: string | undefined; issueId?: string | undefined }, from: Date, to: Date): Promise<number> };
  hostMetrics: { range(orgId: string, serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]> };
  /** Telemetry (issue 13's query API over ClickHouse): log counts, RED metrics from spans, any metric. */
  telemetry: {
    logCount(orgId: string, where: { serviceId?: string | undefined; query: string }, fromMs: number, toMs: number): Promise<number>;
    /** p95 latency (ms) and error rate (errors / requests) of a service's entry spans in the window; null without spans. */
    spanStats(orgId: string, serviceId: string, fromMs: number, toMs: number): Promise<{ p95Ms: number; errorRate: number; requests: number } | null>;
    /** One aggregate of a metric over the window (host.* of a server, or any OTLP metric); null without data. */
    metric(orgId: string, where: { name: string; serviceId?: string | undefined; serverId?: string | undefined; agg: string }, fromMs: number, toMs: number): Promise<number | null>;
  };
  /** A service's organisation, project and server (any organisation's: callers check). */
  serviceOf(serviceId: string): Promise<{ org_id: string; project_id: string; server_id: string; name: string } | undefined>;
}
