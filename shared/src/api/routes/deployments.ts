// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf } from '../common.js';
import { DeployBodySchema, DeploymentCreatedSchema, DeploymentDiffSchema, DeploymentSchema, DeploymentWithLogsSchema, LogPageQuerySchema, OrgDeploymentSchema, OrgDeploymentsQuerySchema, RollbackBodySchema, ServiceRestartSchema } from '../deployments.js';
import { ServiceLogLineSchema, ServiceLogsQuerySchema } from '../telemetry.js';
import { contract } from './contract.js';

export const ServiceParams = z.object({ serviceId: IdSchema });
export const DeploymentParams = z.object({ deploymentId: IdSchema });

export const deploymentsContracts = {
  getDeployments: contract({
    method: 'get',
    path: '/api/v1/deployments',
    query: OrgDeploymentsQuerySchema,
    response: pageOf(OrgDeploymentSchema),
    orgHeader: true,
  }),
  postServicesByServiceIdDeploy: contract({
    method: 'post',
    path: '/api/v1/services/:serviceId/deploy',
    params: ServiceParams,
    body: DeployBodySchema,
    response: DeploymentCreatedSchema,
  }),
  postServicesByServiceIdRollback: contract({
    method: 'post',
    path: '/api/v1/services/:serviceId/rollback',
    params: ServiceParams,
    body: RollbackBodySchema,
    response: DeploymentCreatedSchema,
  }),
  postServicesByServiceIdRestart: contract({
    method: 'post',
    path: '/api/v1/services/:serviceId/restart',
    params: ServiceParams,
    response: ServiceRestartSchema,
  }),
  getServicesByServiceIdDeployments: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/deployments',
    params: ServiceParams,
    query: PageQuerySchema,
    response: pageOf(DeploymentSchema),
  }),
  getServicesByServiceIdLogs: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/logs',
    params: ServiceParams,
    // Issue 13: read from ClickHouse with the log explorer's filters (the seed's fields kept).
    query: ServiceLogsQuerySchema,
    response: z.array(ServiceLogLineSchema),
  }),
  getDeploymentsByDeploymentId: contract({
    method: 'get',
    path: '/api/v1/deployments/:deploymentId',
    params: DeploymentParams,
    query: LogPageQuerySchema,
    response: DeploymentWithLogsSchema,
  }),
  postDeploymentsByDeploymentIdCancel: contract({
    method: 'post',
    path: '/api/v1/deployments/:deploymentId/cancel',
    params: DeploymentParams,
    response: DeploymentSchema,
  }),
  getDeploymentsByDeploymentIdDiff: contract({
    method: 'get',
    path: '/api/v1/deployments/:deploymentId/diff',
    params: DeploymentParams,
    query: z.object({ against: IdSchema }),
    response: DeploymentDiffSchema,
  }),
};
