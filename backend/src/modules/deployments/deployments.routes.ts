import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';
import { actorOf } from '../projects/index.js';
import { byService } from '../services/index.js';

const byDeployment = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.deployments.orgIdOf(p.deploymentId!) };

export const deploymentRoutes = [
  defineRoute(contracts.getDeployments, {
    summary: "The organisation's deployments, newest first (filter by status, server or project)",
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: 'header' },
    handler: ({ org, query }, deps) => deps.services.deployments.listForOrg(org.id, query),
  }),
  defineRoute(contracts.postServicesByServiceIdDeploy, {
    summary: 'Deploy a service (its branch head, or git_ref / image_tag); 503 AGENT_OFFLINE when its server is not connected',
    tag: 'deployments',
    access: { kind: 'org', permission: 'deployments.create', org: byService },
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) =>
      deps.services.deployments.trigger(org.id, params.serviceId, actorOf(auth, meta), body, auth.scopes ? 'api' : 'manual'),
  }),
  defineRoute(contracts.postServicesByServiceIdRollback, {
    summary: 'Redeploy an earlier artifact with its env snapshot (default: the one before the current); no rebuild',
    tag: 'deployments',
    access: { kind: 'org', permission: 'deployments.create', org: byService },
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.deployments.rollback(org.id, params.serviceId, actorOf(auth, meta), body.deployment_id),
  }),
  defineRoute(contracts.postServicesByServiceIdRestart, {
    summary: "Restart a service's running deployment on the servers it runs on (agent command service.restart; no build). 409 when it is not running anywhere, 503 AGENT_OFFLINE when its server is not connected",
    tag: 'deployments',
    access: { kind: 'org', permission: 'deployments.create', org: byService },
    handler: ({ org, auth, meta, params }, deps) => deps.services.restarts.restart(org.id, params.serviceId, actorOf(auth, meta)),
  }),
  defineRoute(contracts.getServicesByServiceIdDeployments, {
    summary: "A service's deployments, newest first",
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    handler: ({ org, params, query }, deps) => deps.services.deployments.list(org.id, params.serviceId, query),
  }),
  defineRoute(contracts.getServicesByServiceIdLogs, {
    summary: 'Runtime logs of a service (stdout/stderr of its instances), within a time range, last `tail` lines; with the log search filters (q, severity, attr.<key>, trace_id)',
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    // Issue 13: the lines live in ClickHouse now; the telemetry query service reads them.
    handler: ({ org, params, query }, deps) => deps.services.telemetryQuery.serviceLogs(org.id, params.serviceId, query),
  }),
  defineRoute(contracts.getDeploymentsByDeploymentId, {
    summary: 'A deployment with its build/deploy log (the last 500 lines, or `tail`, or a page `after` a sequence number)',
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byDeployment },
    handler: ({ org, params, query }, deps) => deps.services.deployments.get(org.id, params.deploymentId, query),
  }),
  defineRoute(contracts.postDeploymentsByDeploymentIdCancel, {
    summary: 'Cancel a deployment that has not reached the server yet',
    tag: 'deployments',
    access: { kind: 'org', permission: 'deployments.create', org: byDeployment },
    handler: ({ org, auth, meta, params }, deps) => deps.services.deployments.cancel(org.id, params.deploymentId, actorOf(auth, meta)),
  }),
  defineRoute(contracts.getDeploymentsByDeploymentIdDiff, {
    summary: 'What changed between `against` and this deployment: commits, env keys, image digest',
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byDeployment },
    handler: ({ org, params, query }, deps) => deps.services.deployments.diff(org.id, query.against, params.deploymentId),
  }),
];
