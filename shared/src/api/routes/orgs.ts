// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, OkSchema } from '../common.js';
import { AcceptInviteResultSchema, CreateInviteBodySchema, CreateOrgBodySchema, InviteSchema, MemberSchema, OrgWithRoleSchema, UpdateMemberBodySchema, UpdateOrgBodySchema } from '../orgs.js';
import { text } from '../strings.js';
import { OrgRoleSchema } from '../../rbac.js';
import { contract } from './contract.js';

export const OrgParams = z.object({ orgId: IdSchema });
export const MemberParams = z.object({ orgId: IdSchema, userId: IdSchema });
export const InviteTokenParams = z.object({ token: text(200).min(10) });
export const PendingInviteSchema = InviteSchema.pick({ id: true, email: true, role: true, expires_at: true }).extend({ created_at: z.string() });

export const orgsContracts = {
  getOrgs: contract({
    method: 'get',
    path: '/api/v1/orgs',
    response: z.array(OrgWithRoleSchema),
  }),
  postOrgs: contract({
    method: 'post',
    path: '/api/v1/orgs',
    body: CreateOrgBodySchema,
    response: OrgWithRoleSchema,
  }),
  getOrgsByOrgId: contract({
    method: 'get',
    path: '/api/v1/orgs/:orgId',
    params: OrgParams,
    response: OrgWithRoleSchema,
  }),
  patchOrgsByOrgId: contract({
    method: 'patch',
    path: '/api/v1/orgs/:orgId',
    params: OrgParams,
    body: UpdateOrgBodySchema,
    response: OrgWithRoleSchema,
  }),
  getOrgsByOrgIdMembers: contract({
    method: 'get',
    path: '/api/v1/orgs/:orgId/members',
    params: OrgParams,
    response: z.array(MemberSchema),
  }),
  patchOrgsByOrgIdMembersByUserId: contract({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/members/:userId',
    params: MemberParams,
    body: UpdateMemberBodySchema,
    response: MemberSchema,
  }),
  deleteOrgsByOrgIdMembersByUserId: contract({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/members/:userId',
    params: MemberParams,
    response: OkSchema,
  }),
  getOrgsByOrgIdInvites: contract({
    method: 'get',
    path: '/api/v1/orgs/:orgId/invites',
    params: OrgParams,
    response: z.array(PendingInviteSchema),
  }),
  postOrgsByOrgIdInvites: contract({
    method: 'post',
    path: '/api/v1/orgs/:orgId/invites',
    params: OrgParams,
    body: CreateInviteBodySchema,
    response: InviteSchema,
  }),
  deleteOrgsByOrgIdInvitesByInviteId: contract({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/invites/:inviteId',
    params: z.object({ orgId: IdSchema, inviteId: IdSchema }),
    response: OkSchema,
  }),
  getInvitesByToken: contract({
    method: 'get',
    path: '/api/v1/invites/:token',
    params: InviteTokenParams,
    response: z.object({ org_name: z.string(), email: z.string(), role: OrgRoleSchema, expires_at: z.string() }),
  }),
  postInvitesByTokenAccept: contract({
    method: 'post',
    path: '/api/v1/invites/:token/accept',
    params: InviteTokenParams,
    response: AcceptInviteResultSchema,
  }),
};
