import type { ServerMetricPoint, ServerUsage } from '@syntra/shared';

/** One host sample of one server. */
export interface HostSample {
  orgId: string;
  serverId: string;
  at: Date;
  cpuPercent: number;
  memoryUsedMb: number;
  diskUsedGb: number;
  load: [number, number, number];
}

/** The telemetry store's server-metrics part (ClickHouse: `host.*` gauges in `otel_metrics_gauge`). */
export interface ServerMetricsStore {
  /**
   * Resolves once stored. With `dedupToken` (an agent's telemetry batch), samples resent under the
   * same token are stored once.
   */
  insert(samples: readonly HostSample[], opts?: { dedupToken?: string }): Promise<void>;
  /** Averages over buckets of `stepSeconds`, oldest first. */
  range(orgId: string, serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]>;
  /** Drops samples older than `before` ahead of their TTL; returns how many. */
  prune(before: Date): Promise<number>;
  /** The newest sample of each server (within the retention). */
  latest(orgId: string, serverIds: readonly string[]): Promise<Map<string, ServerUsage>>;
}
