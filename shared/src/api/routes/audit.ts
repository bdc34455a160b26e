// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf } from '../common.js';
import { AuditEntrySchema } from '../orgs.js';
import { text } from '../strings.js';
import { contract } from './contract.js';

export const auditContracts = {
  getOrgsByOrgIdAudit: contract({
    method: 'get',
    path: '/api/v1/orgs/:orgId/audit',
    params: z.object({ orgId: IdSchema }),
    query: PageQuerySchema.extend({ action: text(100).optional() }),
    response: pageOf(AuditEntrySchema),
  }),
};
