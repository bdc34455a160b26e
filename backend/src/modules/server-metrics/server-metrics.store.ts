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
  /** Throughput since the agent's previous sample, bytes/s (newer agents). */
  io?: IoRates;
}

export interface IoRates {
  netRxBps?: number | undefined;
  netTxBps?: number | undefined;
  diskReadBps?: number | undefined;
  diskWriteBps?: number | undefined;
}

/** One service's usage on one server at one instant, as its agent measured it. */
export interface ServiceSample {
  orgId: string;
  serverId: string;
  serviceId: string;
  deploymentId: string | null;
  at: Date;
  cpuPercent: number;
  memoryMb: number;
  io?: IoRates;
}

/** The telemetry store's server-metrics part (ClickHouse: `host.*` gauges in `otel_metrics_gauge`). */
export interface ServerMetricsStore {
  /**
   * Resolves once stored. With `dedupToken` (an agent's telemetry batch), samples resent under the
   * same token are stored once.
   */
  insert(samples: readonly HostSample[], opts?: { dedupToken?: string }): Promise<void>;
  /** Per-service usage (`service.*` gauges of the service); samples of services not on that server (or org) are dropped. */
  insertServiceSamples(samples: readonly ServiceSample[], opts?: { dedupToken?: string }): Promise<void>;
  /** Averages over buckets of `stepSeconds`, oldest first. */
  range(orgId: string, serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]>;
  /** Drops samples older than `before` ahead of their TTL; returns how many. */
  prune(before: Date): Promise<number>;
  /** The newest sample of each server (within the retention). */
  latest(orgId: string, serverIds: readonly string[]): Promise<Map<string, ServerUsage>>;
}
