import { z } from 'zod';
import {
  DeployBodySchema,
  DeploymentCreatedSchema,
  DeploymentDiffSchema,
  DeploymentSchema,
  DeploymentWithLogsSchema,
  IdSchema,
  LogPageQuerySchema,
  OrgDeploymentSchema,
  OrgDeploymentsQuerySchema,
  PageQuerySchema,
  RollbackBodySchema,
  RuntimeLogLineSchema,
  RuntimeLogQuerySchema,
  pageOf,
} from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';
import { actorOf } from '../projects/index.js';
import { byService } from '../services/index.js';

const ServiceParams = z.object({ serviceId: IdSchema });
const DeploymentParams = z.object({ deploymentId: IdSchema });
const byDeployment = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.deployments.orgIdOf(p.deploymentId!) };

export const deploymentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/deployments',
    summary: "The organisation's deployments, newest first (filter by status, server or project)",
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: 'header' },
    query: OrgDeploymentsQuerySchema,
    response: pageOf(OrgDeploymentSchema),
    handler: ({ org, query }, deps) => deps.services.deployments.listForOrg(org.id, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/services/:serviceId/deploy',
    summary: 'Deploy a service (its branch head, or git_ref / image_tag); 503 AGENT_OFFLINE when its server is not connected',
    tag: 'deployments',
    access: { kind: 'org', permission: 'deployments.create', org: byService },
    params: ServiceParams,
    body: DeployBodySchema,
    response: DeploymentCreatedSchema,
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) =>
      deps.services.deployments.trigger(org.id, params.serviceId, actorOf(auth, meta), body, auth.scopes ? 'api' : 'manual'),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/services/:serviceId/rollback',
    summary: 'Redeploy an earlier artifact with its env snapshot (default: the one before the current); no rebuild',
    tag: 'deployments',
    access: { kind: 'org', permission: 'deployments.create', org: byService },
    params: ServiceParams,
    body: RollbackBodySchema,
    response: DeploymentCreatedSchema,
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.deployments.rollback(org.id, params.serviceId, actorOf(auth, meta), body.deployment_id),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/services/:serviceId/deployments',
    summary: "A service's deployments, newest first",
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    params: ServiceParams,
    query: PageQuerySchema,
    response: pageOf(DeploymentSchema),
    handler: ({ org, params, query }, deps) => deps.services.deployments.list(org.id, params.serviceId, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/services/:serviceId/logs',
    summary: 'Runtime logs of a service (stdout/stderr of its instances), within a time range, last `tail` lines',
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    params: ServiceParams,
    query: RuntimeLogQuerySchema,
    response: z.array(RuntimeLogLineSchema),
    handler: ({ org, params, query }, deps) => deps.services.deployments.runtimeLogs(org.id, params.serviceId, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/deployments/:deploymentId',
    summary: 'A deployment with its build/deploy log (the last 500 lines, or `tail`, or a page `after` a sequence number)',
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byDeployment },
    params: DeploymentParams,
    query: LogPageQuerySchema,
    response: DeploymentWithLogsSchema,
    handler: ({ org, params, query }, deps) => deps.services.deployments.get(org.id, params.deploymentId, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/deployments/:deploymentId/cancel',
    summary: 'Cancel a deployment that has not reached the server yet',
    tag: 'deployments',
    access: { kind: 'org', permission: 'deployments.create', org: byDeployment },
    params: DeploymentParams,
    response: DeploymentSchema,
    handler: ({ org, auth, meta, params }, deps) => deps.services.deployments.cancel(org.id, params.deploymentId, actorOf(auth, meta)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/deployments/:deploymentId/diff',
    summary: 'What changed between `against` and this deployment: commits, env keys, image digest',
    tag: 'deployments',
    access: { kind: 'org', permission: 'projects.read', org: byDeployment },
    params: DeploymentParams,
    query: z.object({ against: IdSchema }),
    response: DeploymentDiffSchema,
    handler: ({ org, params, query }, deps) => deps.services.deployments.diff(org.id, query.against, params.deploymentId),
  }),
];
