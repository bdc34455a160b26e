import { contracts } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';
import { byService } from '../services/index.js';

export const healthRoutes = [
  defineRoute(contracts.getServicesByServiceIdHealth, {
    summary: "A service's health-check results (deploy gates and periodic checks), newest first; `healthy=false` for failures only",
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    handler: ({ org, params, query }, deps) => deps.services.health.list(org.id, params.serviceId, query),
  }),
];
