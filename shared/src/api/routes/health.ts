// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, pageOf } from '../common.js';
import { HealthCheckResultSchema, HealthQuerySchema } from '../services.js';
import { contract } from './contract.js';

export const ServiceParams = z.object({ serviceId: IdSchema });

export const healthContracts = {
  getServicesByServiceIdHealth: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/health',
    params: ServiceParams,
    query: HealthQuerySchema,
    response: pageOf(HealthCheckResultSchema),
  }),
};
