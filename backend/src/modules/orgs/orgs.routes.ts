import { contracts } from '@syntra/shared';
import { defineRoute, type RequestMeta } from '../../http/route.js';
import type { Principal } from '../auth/index.js';

function actorOf(auth: Principal, meta: RequestMeta) {
  return { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent };
}

export const orgRoutes = [
  defineRoute(contracts.getOrgs, {
    summary: "The caller's organisations with their role in each (an org-bound token: its organisation only)",
    tag: 'orgs',
    access: { kind: 'user', scope: 'read' },
    handler: ({ auth }, deps) => deps.services.orgs.listForUser(auth.user.id, auth.tokenOrgId),
  }),
  defineRoute(contracts.postOrgs, {
    summary: 'Create an organisation; the caller becomes its owner',
    tag: 'orgs',
    access: { kind: 'user', scope: 'admin', accountWide: true },
    status: 201,
    handler: ({ auth, meta, body }, deps) => deps.services.orgs.create(actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getOrgsByOrgId, {
    summary: 'One organisation',
    tag: 'orgs',
    access: { kind: 'org', permission: 'org.read', org: { param: 'orgId' } },
    handler: ({ org }, deps) => deps.services.orgs.get(org.id, org.role),
  }),
  defineRoute(contracts.patchOrgsByOrgId, {
    summary: 'Rename an organisation, change its slug or settings',
    tag: 'orgs',
    access: { kind: 'org', permission: 'org.update', org: { param: 'orgId' } },
    handler: ({ org, auth, meta, body }, deps) => deps.services.orgs.update(org.id, org.role, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getOrgsByOrgIdMembers, {
    summary: 'Members and their roles',
    tag: 'orgs',
    access: { kind: 'org', permission: 'members.read', org: { param: 'orgId' } },
    handler: ({ org }, deps) => deps.services.orgs.members(org.id),
  }),
  defineRoute(contracts.patchOrgsByOrgIdMembersByUserId, {
    summary: "Change a member's role (the last owner cannot be demoted)",
    tag: 'orgs',
    access: { kind: 'org', permission: 'members.manage', org: { param: 'orgId' } },
    handler: ({ org, auth, meta, params, body }, deps) =>
      deps.services.orgs.changeRole(org.id, org.role, actorOf(auth, meta), params.userId, body.role),
  }),
  defineRoute(contracts.deleteOrgsByOrgIdMembersByUserId, {
    summary: 'Remove a member, or leave (your own user id); the last owner cannot leave',
    tag: 'orgs',
    // Leaving is open to every role; removing someone else is checked against members.manage in the service.
    access: { kind: 'org', permission: 'members.leave', org: { param: 'orgId' } },
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.orgs.remove(org.id, org.role, org.permissions, actorOf(auth, meta), params.userId);
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.getOrgsByOrgIdInvites, {
    summary: 'Pending invites',
    tag: 'orgs',
    access: { kind: 'org', permission: 'invites.create', org: { param: 'orgId' } },
    handler: ({ org }, deps) => deps.services.orgs.pendingInvites(org.id),
  }),
  defineRoute(contracts.postOrgsByOrgIdInvites, {
    summary: 'Invite someone by email; returns the accept link and token (shown once)',
    tag: 'orgs',
    access: { kind: 'org', permission: 'invites.create', org: { param: 'orgId' } },
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.orgs.invite(org.id, org.role, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.deleteOrgsByOrgIdInvitesByInviteId, {
    summary: 'Revoke a pending invite',
    tag: 'orgs',
    access: { kind: 'org', permission: 'invites.create', org: { param: 'orgId' } },
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.orgs.revokeInvite(org.id, actorOf(auth, meta), params.inviteId);
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.getInvitesByToken, {
    summary: 'What an invite is for (organisation, email, role), for the accept page',
    tag: 'orgs',
    access: { kind: 'public' },
    handler: ({ params }, deps) => deps.services.orgs.previewInvite(params.token),
  }),
  defineRoute(contracts.postInvitesByTokenAccept, {
    summary: 'Accept an invite with the account it was sent to',
    tag: 'orgs',
    access: { kind: 'user', scope: 'admin', accountWide: true },
    handler: ({ auth, meta, params }, deps) =>
      deps.services.orgs.acceptInvite(params.token, { ...actorOf(auth, meta), email: auth.user.email }),
  }),
];
