import { contracts } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';

export const auditRoutes = [
  defineRoute(contracts.getOrgsByOrgIdAudit, {
    summary: 'Audit log of an organisation (sign-ins, tokens, membership), newest first',
    tag: 'audit',
    access: { kind: 'org', permission: 'audit.read', org: { param: 'orgId' } },
    handler: ({ org, query }, deps) => deps.services.audit.list(org.id, query),
  }),
];
