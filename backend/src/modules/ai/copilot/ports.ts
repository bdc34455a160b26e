import type { CreateAlertRuleBody, EffectivePermissions, MetricAgg, SeverityLevel } from '@syntra/shared';
import type { Actor } from '../../orgs/index.js';

/**
 * What the co-pilot's tools call: the very service methods the console's routes call, given at
 * construction (services.ts). Each takes the asking user's organisation; permissions are checked
 * by the tool registry before a call, as the route table does before a handler.
 */
export interface CopilotPorts {
  listServers(orgId: string): Promise<unknown>;
  getServer(orgId: string, serverId: string): Promise<{ id: string; name: string } & Record<string, unknown>>;
  listProjects(orgId: string): Promise<Array<{ id: string; name: string } & Record<string, unknown>>>;
  listServices(orgId: string, projectId: string): Promise<unknown>;
  getService(orgId: string, serviceId: string): Promise<{ id: string; name: string } & Record<string, unknown>>;
  /** The env view the button shows: values only with `env.reveal`. */
  viewEnv(orgId: string, serviceId: string, can: EffectivePermissions): Promise<{ masked: boolean; vars: Array<{ key: string; value: string | null }> }>;
  listDeployments(orgId: string, query: { service_id?: string | undefined; status?: string | undefined; limit: number }): Promise<unknown>;
  getDeployment(orgId: string, deploymentId: string): Promise<unknown>;
  serviceLogs(orgId: string, serviceId: string, tail: number): Promise<Array<{ ts: string; stream: string; line: string }>>;
  /** Error tracking (issue 12): the issues list and one issue with its latest event. */
  listIssues(orgId: string, query: { q?: string | undefined; status?: string | undefined; service_id?: string | undefined; limit: number }): Promise<unknown>;
  getIssue(orgId: string, issueId: string): Promise<unknown>;
  /** Telemetry (issue 13): the Query API's log and trace search, one trace, a metric's series. Ranges are epoch ms. */
  searchLogs(orgId: string, query: { from: number; to: number; service_id?: string | undefined; q?: string | undefined; severity?: SeverityLevel[] | undefined; trace_id?: string | undefined; limit: number }): Promise<unknown>;
  searchTraces(orgId: string, query: { from: number; to: number; service_id?: string | undefined; operation?: string | undefined; min_duration_ms?: number | undefined; status?: 'error' | 'ok' | undefined; limit: number }): Promise<unknown>;
  getTrace(orgId: string, traceId: string): Promise<unknown>;
  metricNames(orgId: string, query: { service_id?: string | undefined; server_id?: string | undefined }): Promise<unknown>;
  queryMetric(orgId: string, query: { from: number; to: number; name: string; service_id?: string | undefined; server_id?: string | undefined; agg: MetricAgg; step: number; group_by?: string | undefined }): Promise<unknown>;
  /** The incident timeline (issue 14) of a service or a server. */
  timeline(orgId: string, target: { service_id?: string | undefined; server_id?: string | undefined }, range: { from?: string | undefined; to?: string | undefined }): Promise<unknown>;
  // ---- actions: only ever called for an approved proposal, as the approving user ----
  deploy(orgId: string, serviceId: string, actor: Actor, input: { git_ref?: string | undefined }): Promise<{ id: string; status: string }>;
  rollback(orgId: string, serviceId: string, actor: Actor, deploymentId?: string): Promise<{ id: string; status: string }>;
  runCommand(orgId: string, serverId: string, actor: Actor, input: { name: string; args: Record<string, unknown> }): Promise<{ id: string; status: string }>;
  restartService(orgId: string, serviceId: string, actor: Actor): Promise<{ deployment_id: string; commands: Array<{ server_id: string; command_id: string; status: string }> }>;
  createAlertRule(orgId: string, actor: Actor, rule: CreateAlertRuleBody): Promise<{ id: string; name: string }>;
}
