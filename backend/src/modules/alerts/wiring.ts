import type { Knex } from 'knex';
import type { Logger } from '../../logger.js';
import type { AuditService } from '../audit/index.js';
import type { DeploymentService } from '../deployments/index.js';
import type { ErrorModule } from '../errors/index.js';
import type { HealthService } from '../health/index.js';
import type { NotificationService } from '../notifications/index.js';
import type { ProjectService } from '../projects/index.js';
import type { ChServerMetricsStore } from '../server-metrics/index.js';
import type { ServerService } from '../servers/index.js';
import type { ServiceService } from '../services/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { TelemetryQueryService } from '../telemetry/index.js';
import { AlertEngine } from './alert-engine.js';
import { AlertsRepo } from './alerts.repo.js';
import { AlertService } from './alerts.service.js';
import type { Clock } from './clock.js';
import { DeployRegressedAlerts } from './deploy-regressed.js';
import type { AlertDataPorts, CatchUpPorts } from './ports.js';
import { TimelineService } from './timeline.js';

/** The modules alerting reads and tells (built before it in services.ts). */
export interface AlertingDeps {
  db: Knex;
  notifications: NotificationService;
  stream: StreamPublisher;
  clock: Clock;
  publicUrl: string;
  log: Logger;
  audit: AuditService;
  servers: ServerService;
  services: ServiceService;
  projects: ProjectService;
  health: HealthService;
  errors: ErrorModule;
  telemetryQuery: TelemetryQueryService;
  deployments: DeploymentService;
  serverMetrics: ChServerMetricsStore;
}

export interface Alerting {
  alerts: AlertService;
  alertData: AlertDataPorts;
  timeline: TimelineService;
  /** Told by post-deploy verification when a deployment fails it (the `deploy_regressed` kind). */
  deployRegressed: DeployRegressedAlerts;
}

/** What alerting reads, over the owning modules' services (no other module's tables). */
function dataPorts(d: AlertingDeps): AlertDataPorts {
  const serviceOf = async (id: string) => {
    const s = await d.services.contextById(id);
    return s ? { org_id: s.org_id, project_id: s.project_id, server_id: s.server_id, name: s.name } : undefined;
  };
  const catchUp: CatchUpPorts = {
    deployments: (orgId, since, until) => d.deployments.markers(orgId, null, since, until),
    issues: (orgId, since, until) => d.errors.issues.noticedBetween(orgId, {}, since, until, { since: 'created_at' }),
    serverStatus: (orgId, since) => d.servers.statusEventsSince(orgId, since),
  };
  return {
    health: { recentResults: (id, n) => d.health.recentResults(id, n), resultCounts: (id, from, to) => d.health.resultCounts(id, from, to) },
    errors: { eventCount: (orgId, where, from, to) => d.errors.events.countBetween(orgId, where, from, to) },
    telemetry: {
      logCount: (orgId, where, fromMs, toMs) => d.telemetryQuery.logCount(orgId, where, fromMs, toMs),
      spanStats: (orgId, serviceId, fromMs, toMs) => d.telemetryQuery.spanStats(orgId, serviceId, fromMs, toMs),
      metric: (orgId, where, fromMs, toMs) => d.telemetryQuery.metricAggregate(orgId, { ...where, fromMs, toMs }),
    },
    serviceOf,
    hosts: async (orgId, scope) => {
      if (scope.serverId) return d.servers.hosts(orgId, [scope.serverId]);
      if (scope.serviceId) {
        const s = await serviceOf(scope.serviceId);
        return s && s.org_id === orgId ? d.servers.hosts(orgId, [s.server_id]) : [];
      }
      if (scope.projectId) {
        const placed = [...new Set((await d.services.list(orgId, scope.projectId)).map((s) => s.server_id))];
        return placed.length ? d.servers.hosts(orgId, placed) : [];
      }
      return d.servers.hosts(orgId);
    },
    catchUp,
  };
}

/** Alerting's rules, events and timeline over the modules that own the facts. */
export function buildAlerting(d: AlertingDeps): Alerting {
  const repo = new AlertsRepo(d.db);
  const engine = new AlertEngine(repo, d.notifications, d.stream, d.clock, d.publicUrl, d.log.child({ module: 'alerts' }));
  const alerts = new AlertService(repo, d.notifications, {
    server: async (orgId, id) => void (await d.servers.get(orgId, id)),
    service: async (orgId, id) => void (await d.services.context(orgId, id)),
    project: async (orgId, id) => void (await d.projects.get(orgId, id)),
  }, d.audit, engine);
  const timeline = new TimelineService(alerts, {
    assertService: async (orgId, id) => void (await d.services.context(orgId, id)),
    deployments: async (orgId, id) => (await d.deployments.list(orgId, id, { limit: 200 })).items,
    healthFailures: (id, from, to) => d.health.failures(id, from, to),
    serverStatus: async (orgId, id) => (await d.servers.statusHistory(orgId, id, { limit: 200 })).items,
    issues: (orgId, serviceId, from, to) => d.errors.issues.noticedBetween(orgId, { serviceId }, from, to, { limit: 200 }),
    errorEvents: (orgId, serviceId, from, to, step) => d.errors.events.countSeries(orgId, { serviceId }, from, to, step),
    spans: async (orgId, serviceId, from, to, step) => (await d.telemetryQuery.spanMetrics(orgId, { from: from.getTime(), to: to.getTime(), service_id: serviceId, step })).points,
    hostMetrics: (orgId, serverId, from, to, step) => d.serverMetrics.range(orgId, serverId, from, to, step),
  }, () => engine.now());
  const alertData = dataPorts(d);
  return { alerts, alertData, timeline, deployRegressed: new DeployRegressedAlerts(repo, engine, alertData) };
}
