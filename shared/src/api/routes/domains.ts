// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, OkSchema } from '../common.js';
import { CreateDomainClaimBodySchema, DomainClaimSchema } from '../domains.js';
import { contract } from './contract.js';

export const DomainParams = z.object({ domainId: IdSchema });

export const domainsContracts = {
  getDomains: contract({
    method: 'get',
    path: '/api/v1/domains',
    response: z.array(DomainClaimSchema),
    orgHeader: true,
  }),
  postDomains: contract({
    method: 'post',
    path: '/api/v1/domains',
    body: CreateDomainClaimBodySchema,
    response: DomainClaimSchema,
    orgHeader: true,
  }),
  postDomainsByDomainIdVerify: contract({
    method: 'post',
    path: '/api/v1/domains/:domainId/verify',
    params: DomainParams,
    response: DomainClaimSchema,
  }),
  deleteDomainsByDomainId: contract({
    method: 'delete',
    path: '/api/v1/domains/:domainId',
    params: DomainParams,
    response: OkSchema,
  }),
};
