import type { Knex } from 'knex';
import type { ServerMetricPoint, ServerUsage } from '@syntra/shared';

/** One host sample of one server. */
export interface HostSample {
  serverId: string;
  at: Date;
  cpuPercent: number;
  memoryUsedMb: number;
  diskUsedGb: number;
  load: [number, number, number];
}

/**
 * The telemetry store's server-metrics part. PostgreSQL tables in embedded mode; a ClickHouse
 * implementation satisfies the same interface at scale.
 */
export interface ServerMetricsStore {
  /** Idempotent per (server, timestamp): a resent sample is stored once. In the caller's transaction when given. */
  insert(samples: readonly HostSample[], trx?: Knex.Transaction): Promise<void>;
  /** Averages over buckets of `stepSeconds`, oldest first. */
  range(serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]>;
  /** Drops samples older than `before` (retention); returns how many. */
  prune(before: Date): Promise<number>;
  /** The newest sample of each server. */
  latest(serverIds: readonly string[]): Promise<Map<string, ServerUsage>>;
}
