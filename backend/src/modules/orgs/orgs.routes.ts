import { z } from 'zod';
import {
  AcceptInviteResultSchema,
  CreateInviteBodySchema,
  CreateOrgBodySchema,
  IdSchema,
  InviteSchema,
  MemberSchema,
  OkSchema,
  OrgRoleSchema,
  OrgWithRoleSchema,
  text,
  UpdateMemberBodySchema,
  UpdateOrgBodySchema,
} from '@syntra/shared';
import { defineRoute, type RequestMeta } from '../../http/route.js';
import type { Principal } from '../auth/index.js';

const OrgParams = z.object({ orgId: IdSchema });
const MemberParams = z.object({ orgId: IdSchema, userId: IdSchema });
const InviteTokenParams = z.object({ token: text(200).min(10) });

function actorOf(auth: Principal, meta: RequestMeta) {
  return { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent };
}

const PendingInviteSchema = InviteSchema.pick({ id: true, email: true, role: true, expires_at: true }).extend({ created_at: z.string() });

export const orgRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs',
    summary: "The caller's organisations with their role in each (an org-bound token: its organisation only)",
    tag: 'orgs',
    access: { kind: 'user', scope: 'read' },
    response: z.array(OrgWithRoleSchema),
    handler: ({ auth }, deps) => deps.services.orgs.listForUser(auth.user.id, auth.tokenOrgId),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs',
    summary: 'Create an organisation; the caller becomes its owner',
    tag: 'orgs',
    access: { kind: 'user', scope: 'admin', accountWide: true },
    body: CreateOrgBodySchema,
    response: OrgWithRoleSchema,
    status: 201,
    handler: ({ auth, meta, body }, deps) => deps.services.orgs.create(actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId',
    summary: 'One organisation',
    tag: 'orgs',
    access: { kind: 'org', permission: 'org.read', org: { param: 'orgId' } },
    params: OrgParams,
    response: OrgWithRoleSchema,
    handler: ({ org }, deps) => deps.services.orgs.get(org.id, org.role),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/orgs/:orgId',
    summary: 'Rename an organisation, change its slug or settings',
    tag: 'orgs',
    access: { kind: 'org', permission: 'org.update', org: { param: 'orgId' } },
    params: OrgParams,
    body: UpdateOrgBodySchema,
    response: OrgWithRoleSchema,
    handler: ({ org, auth, meta, body }, deps) => deps.services.orgs.update(org.id, org.role, actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/members',
    summary: 'Members and their roles',
    tag: 'orgs',
    access: { kind: 'org', permission: 'members.read', org: { param: 'orgId' } },
    params: OrgParams,
    response: z.array(MemberSchema),
    handler: ({ org }, deps) => deps.services.orgs.members(org.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/members/:userId',
    summary: "Change a member's role (the last owner cannot be demoted)",
    tag: 'orgs',
    access: { kind: 'org', permission: 'members.manage', org: { param: 'orgId' } },
    params: MemberParams,
    body: UpdateMemberBodySchema,
    response: MemberSchema,
    handler: ({ org, auth, meta, params, body }, deps) =>
      deps.services.orgs.changeRole(org.id, org.role, actorOf(auth, meta), params.userId, body.role),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/members/:userId',
    summary: 'Remove a member, or leave (your own user id); the last owner cannot leave',
    tag: 'orgs',
    // Leaving is open to every role; removing someone else is checked against members.manage in the service.
    access: { kind: 'org', permission: 'members.leave', org: { param: 'orgId' } },
    params: MemberParams,
    response: OkSchema,
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.orgs.remove(org.id, org.role, org.permissions, actorOf(auth, meta), params.userId);
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/invites',
    summary: 'Pending invites',
    tag: 'orgs',
    access: { kind: 'org', permission: 'invites.create', org: { param: 'orgId' } },
    params: OrgParams,
    response: z.array(PendingInviteSchema),
    handler: ({ org }, deps) => deps.services.orgs.pendingInvites(org.id),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/invites',
    summary: 'Invite someone by email; returns the accept link and token (shown once)',
    tag: 'orgs',
    access: { kind: 'org', permission: 'invites.create', org: { param: 'orgId' } },
    params: OrgParams,
    body: CreateInviteBodySchema,
    response: InviteSchema,
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.orgs.invite(org.id, org.role, actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/invites/:inviteId',
    summary: 'Revoke a pending invite',
    tag: 'orgs',
    access: { kind: 'org', permission: 'invites.create', org: { param: 'orgId' } },
    params: z.object({ orgId: IdSchema, inviteId: IdSchema }),
    response: OkSchema,
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.orgs.revokeInvite(org.id, actorOf(auth, meta), params.inviteId);
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/invites/:token',
    summary: 'What an invite is for (organisation, email, role), for the accept page',
    tag: 'orgs',
    access: { kind: 'public' },
    params: InviteTokenParams,
    response: z.object({ org_name: z.string(), email: z.string(), role: OrgRoleSchema, expires_at: z.string() }),
    handler: ({ params }, deps) => deps.services.orgs.previewInvite(params.token),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/invites/:token/accept',
    summary: 'Accept an invite with the account it was sent to',
    tag: 'orgs',
    access: { kind: 'user', scope: 'admin', accountWide: true },
    params: InviteTokenParams,
    response: AcceptInviteResultSchema,
    handler: ({ auth, meta, params }, deps) =>
      deps.services.orgs.acceptInvite(params.token, { ...actorOf(auth, meta), email: auth.user.email }),
  }),
];
