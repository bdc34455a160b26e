import type { AlertService, TimelineService } from '../../alerts/index.js';
import type { DeploymentService, ServiceRestarter } from '../../deployments/index.js';
import type { IssueService } from '../../errors/index.js';
import type { ProjectService } from '../../projects/index.js';
import type { ServerService } from '../../servers/index.js';
import type { EnvService, ServiceService } from '../../services/index.js';
import type { TelemetryQueryService } from '../../telemetry/index.js';
import type { CopilotPorts } from './ports.js';
import { trimLogs, trimMetric, trimTimeline, trimTrace, trimTraces } from './trim.js';

interface Services {
  servers: ServerService;
  projects: ProjectService;
  services: ServiceService;
  env: EnvService;
  deployments: DeploymentService;
  issues: IssueService;
  restarts: ServiceRestarter;
  alerts: AlertService;
  telemetry: TelemetryQueryService;
  timeline: TimelineService;
}

/** The co-pilot's ports over the real services: each is what the matching console route calls. */
export function copilotPorts(s: Services): CopilotPorts {
  return {
    listServers: (orgId) => s.servers.list(orgId, { limit: 50 }),
    getServer: (orgId, id) => s.servers.get(orgId, id),
    listProjects: (orgId) => s.projects.list(orgId),
    listServices: (orgId, projectId) => s.services.list(orgId, projectId),
    getService: (orgId, id) => s.services.get(orgId, id),
    viewEnv: async (orgId, serviceId, can) => {
      // As GET /services/:id/env: the service must be the organisation's before its env is read.
      await s.services.context(orgId, serviceId);
      return s.env.view(serviceId, can);
    },
    listDeployments: (orgId, q) =>
      q.service_id
        ? s.deployments.list(orgId, q.service_id, { limit: q.limit })
        : s.deployments.listForOrg(orgId, { limit: q.limit, latest: false, ...(q.status ? { status: q.status as never } : {}) }),
    getDeployment: (orgId, id) => s.deployments.get(orgId, id, { tail: 100, limit: 100 }),
    serviceLogs: (orgId, serviceId, tail) => s.deployments.runtimeLogs(orgId, serviceId, { tail }),
    listIssues: async (orgId, q) => {
      const page = await s.issues.listForOrg(orgId, { sort: 'last_seen', limit: q.limit, ...(q.q ? { q: q.q } : {}), ...(q.service_id ? { service_id: q.service_id } : {}), ...(q.status ? { status: [q.status] as never } : {}) });
      // The sparklines are noise for the model; the counts stay.
      return page.items.map(({ stats_24h: _h, stats_14d: _d, ...issue }) => issue);
    },
    getIssue: async (orgId, issueId) => {
      const { stats_24h: _h, stats_14d: _d, ...issue } = await s.issues.get(orgId, issueId);
      const event = await s.issues.event(orgId, issueId, 'latest').catch(() => null);
      return {
        issue: { ...issue, ai_analysis: issue.ai_analysis?.status === 'done' ? { root_cause: issue.ai_analysis.root_cause, suggested_fix: issue.ai_analysis.suggested_fix, severity: issue.ai_analysis.severity } : null },
        latest_event: event && {
          timestamp: event.timestamp,
          environment: event.environment,
          release: event.release,
          exceptions: event.exceptions.map((e) => ({ type: e.type, value: e.value, frames: e.frames.filter((f) => f.in_app).slice(-10).map((f) => ({ file: f.filename, line: f.lineno, function: f.function, code: f.context_line })) })),
          breadcrumbs: event.breadcrumbs.slice(-15).map((b) => ({ at: b.timestamp, category: b.category, message: b.message })),
          tags: event.tags,
        },
      };
    },
    // Telemetry through the Query API's own methods (the same tenancy wall and query limits as its routes).
    // The schema's `attr.<key>` catch-all types every key as text; the co-pilot sends no attribute filters.
    searchLogs: async (orgId, q) => trimLogs(await s.telemetry.logs(orgId, q as Parameters<TelemetryQueryService['logs']>[1])),
    searchTraces: async (orgId, q) => trimTraces(await s.telemetry.traces(orgId, q)),
    getTrace: async (orgId, traceId) => trimTrace(await s.telemetry.trace(orgId, traceId)),
    metricNames: async (orgId, q) => (await s.telemetry.metricNames(orgId, q)).items.slice(0, 200),
    queryMetric: async (orgId, q) => trimMetric(await s.telemetry.metrics(orgId, q)),
    timeline: async (orgId, target, range) =>
      trimTimeline(target.service_id ? await s.timeline.forService(orgId, target.service_id, range) : await s.timeline.forServer(orgId, target.server_id!, range)),
    deploy: (orgId, serviceId, actor, input) => s.deployments.trigger(orgId, serviceId, actor, input, 'manual'),
    rollback: (orgId, serviceId, actor, deploymentId) => s.deployments.rollback(orgId, serviceId, actor, deploymentId),
    runCommand: (orgId, serverId, actor, input) => s.servers.command(orgId, serverId, actor, { ...input, wait_ms: 0 }),
    restartService: (orgId, serviceId, actor) => s.restarts.restart(orgId, serviceId, actor),
    createAlertRule: (orgId, actor, rule) => s.alerts.createRule(orgId, actor, rule),
  };
}
