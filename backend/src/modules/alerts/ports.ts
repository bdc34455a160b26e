import type { ServerMetricPoint } from '@syntra/shared';

/**
 * What alerting reads from other modules, given at construction (services.ts): health results,
 * host metrics, where a service lives. The error and telemetry kinds add their readers here at merge.
 */
export interface AlertDataPorts {
  health: {
    recentResults(serviceId: string, n: number): Promise<boolean[]>;
    resultCounts(serviceId: string, from: Date, to: Date): Promise<{ total: number; healthy: number }>;
  };
  /** Error events (issue 12's store): counts for `error_rate`. */
  errors: { eventCount(where: { serviceId?: string | undefined; issueId?: string | undefined }, from: Date, to: Date): Promise<number> };
  hostMetrics: { range(orgId: string, serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]> };
  /** A service's organisation, project and server (any organisation's: callers check). */
  serviceOf(serviceId: string): Promise<{ org_id: string; project_id: string; server_id: string; name: string } | undefined>;
}
