import { z } from 'zod';
import { AuditEntrySchema, IdSchema, PageQuerySchema, pageOf, text } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/audit',
    summary: 'Audit log of an organisation (sign-ins, tokens, membership), newest first',
    tag: 'audit',
    access: { kind: 'org', permission: 'audit.read', org: { param: 'orgId' } },
    params: z.object({ orgId: IdSchema }),
    query: PageQuerySchema.extend({ action: text(100).optional() }),
    response: pageOf(AuditEntrySchema),
    handler: ({ org, query }, deps) => deps.services.audit.list(org.id, query),
  }),
];
