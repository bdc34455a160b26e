// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, OkSchema } from '../common.js';
import { CreateServiceBodySchema, EnvVarsSchema, PatchEnvBodySchema, PutEnvBodySchema, ServiceOnServerSchema, ServiceSchema, UpdateServiceBodySchema } from '../services.js';
import { contract } from './contract.js';

export const ProjectParams = z.object({ projectId: IdSchema });
export const ServiceParams = z.object({ serviceId: IdSchema });
export const ServerParams = z.object({ serverId: IdSchema });

export const servicesContracts = {
  getServersByServerIdServices: contract({
    method: 'get',
    path: '/api/v1/servers/:serverId/services',
    params: ServerParams,
    response: z.array(ServiceOnServerSchema),
  }),
  getProjectsByProjectIdServices: contract({
    method: 'get',
    path: '/api/v1/projects/:projectId/services',
    params: ProjectParams,
    response: z.array(ServiceSchema),
  }),
  postProjectsByProjectIdServices: contract({
    method: 'post',
    path: '/api/v1/projects/:projectId/services',
    params: ProjectParams,
    body: CreateServiceBodySchema,
    response: ServiceSchema,
  }),
  getServicesByServiceId: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId',
    params: ServiceParams,
    response: ServiceSchema,
  }),
  patchServicesByServiceId: contract({
    method: 'patch',
    path: '/api/v1/services/:serviceId',
    params: ServiceParams,
    body: UpdateServiceBodySchema,
    response: ServiceSchema,
  }),
  deleteServicesByServiceId: contract({
    method: 'delete',
    path: '/api/v1/services/:serviceId',
    params: ServiceParams,
    response: OkSchema,
  }),
  getServicesByServiceIdEnv: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/env',
    params: ServiceParams,
    response: EnvVarsSchema,
  }),
  putServicesByServiceIdEnv: contract({
    method: 'put',
    path: '/api/v1/services/:serviceId/env',
    params: ServiceParams,
    body: PutEnvBodySchema,
    response: EnvVarsSchema,
  }),
  patchServicesByServiceIdEnv: contract({
    method: 'patch',
    path: '/api/v1/services/:serviceId/env',
    params: ServiceParams,
    body: PatchEnvBodySchema,
    response: EnvVarsSchema,
  }),
};
