import { z } from 'zod';
import { HealthCheckResultSchema, HealthQuerySchema, IdSchema, pageOf } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';
import { byService } from '../services/index.js';

const ServiceParams = z.object({ serviceId: IdSchema });

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/services/:serviceId/health',
    summary: "A service's health-check results (deploy gates and periodic checks), newest first; `healthy=false` for failures only",
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    params: ServiceParams,
    query: HealthQuerySchema,
    response: pageOf(HealthCheckResultSchema),
    handler: ({ org, params, query }, deps) => deps.services.health.list(org.id, params.serviceId, query),
  }),
];
