import type { WindowAgg } from '../telemetry/index.js';

/** A server a rule watches, with the totals its agent reported (they turn used MB/GB into percent). */
export interface WatchedHost {
  id: string;
  name: string;
  memory_mb: number | null;
  disk_gb: number | null;
}

/**
 * The durable records behind the event kinds, read by the listener's catch-up (catch-up.ts) so an
 * event published while no evaluator listened still fires: each lists the organisation's changes
 * in the window.
 */
export interface CatchUpPorts {
  /** Deployments by when they finished (else were created), with their status now. */
  deployments(orgId: string, since: Date, until: Date): Promise<Array<{ deployment_id: string; service_id: string; status: string; at: string }>>;
  /** Issues recorded in the window, and issues regressed in it that are still regressed. */
  issues(orgId: string, since: Date, until: Date): Promise<Array<{ id: string; service_id: string; project_id: string; title: string; culprit: string | null; level: string; environments: string[]; created_at: string; regressed_at: string | null }>>;
  /** Servers' status changes since `since`, newest first. */
  serverStatus(orgId: string, since: Date): Promise<Array<{ id: number; server_id: string; name: string; status: string; reason: string; at: Date }>>;
}

/**
 * What alerting reads from other modules, given at construction (alerts/wiring.ts): health
 * results, error event counts, log counts, span and metric aggregates, where a service lives and
 * which servers a scope covers.
 */
export interface AlertDataPorts {
  health: {
    recentResults(serviceId: string, n: number): Promise<boolean[]>;
    resultCounts(serviceId: string, from: Date, to: Date): Promise<{ total: number; healthy: number }>;
  };
  /** Error events (issue 12's store): counts for `error_rate`. */
  errors: { eventCount(orgId: string, where: { serviceId?: string | undefined; issueId?: string | undefined }, from: Date, to: Date): Promise<number> };
  /** Telemetry (issue 13's query service over ClickHouse): single numbers over a window. */
  telemetry: {
    logCount(orgId: string, where: { serviceId?: string | undefined; query: string }, fromMs: number, toMs: number): Promise<number>;
    /** p95 latency (ms) and error rate (errors / requests) of a service's entry spans in the window; null without spans. */
    spanStats(orgId: string, serviceId: string, fromMs: number, toMs: number): Promise<{ p95Ms: number; errorRate: number; requests: number } | null>;
    /**
     * One aggregate of a metric over the window (host.* gauges of servers, or any OTLP metric):
     * overall (`server` '') or one per server with `perServer`; empty without data.
     */
    metric(
      orgId: string,
      where: { name: string; serviceId?: string | undefined; serverIds?: readonly string[] | undefined; agg: WindowAgg; perServer?: boolean | undefined },
      fromMs: number,
      toMs: number,
    ): Promise<Array<{ server: string; value: number }>>;
  };
  /** A service's organisation, project and server (any organisation's: callers check). */
  serviceOf(serviceId: string): Promise<{ org_id: string; project_id: string; server_id: string; name: string } | undefined>;
  /** The organisation's servers a scope covers: the server, the one a service runs on, a project's services' servers, or all. */
  hosts(orgId: string, scope: { serverId?: string | null; serviceId?: string | null; projectId?: string | null }): Promise<WatchedHost[]>;
  catchUp: CatchUpPorts;
}
