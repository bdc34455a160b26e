import type { Knex } from 'knex';
import { rolesAssignableBy, type EffectivePermissions, type OrgRole } from '@syntra/shared';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { newSecretToken, sha256Hex } from '../../lib/crypto.js';
import { iso } from '../../lib/iso.js';
import type { AuditService } from '../audit/index.js';
import { type MemberWithUser, OrgsRepo } from './orgs.repo.js';
import type { OrganizationRow } from './orgs.tables.js';
import { uniqueSlug } from './slug.js';

const INVITE_TTL_MS = 7 * 86_400_000;

export interface Actor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

export function toOrgDto(org: OrganizationRow) {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    plan: org.plan,
    settings: {
      terminal_admins_only: org.settings?.terminal_admins_only ?? false,
      ...(org.settings?.telemetry_retention_days ? { telemetry_retention_days: org.settings.telemetry_retention_days } : {}),
    },
    created_at: iso(org.created_at),
  };
}

function toMemberDto(m: MemberWithUser) {
  return {
    user: { id: m.user_id, email: m.user.email, name: m.user.name, avatar_url: m.user.avatar_url },
    role: m.role,
    joined_at: iso(m.accepted_at),
  };
}

export class OrgService {
  private readonly repo: OrgsRepo;

  constructor(
    private readonly db: Knex,
    private readonly audit: AuditService,
    private readonly publicUrl: string,
  ) {
    this.repo = new OrgsRepo(db);
  }

  roleOf(orgId: string, userId: string) {
    return this.repo.roleOf(orgId, userId);
  }

  firstOrgIdOf(userId: string) {
    return this.repo.firstOrgIdOf(userId);
  }

  /**
   * The installation's admin organisation: the oldest one, which the first registered user got.
   * It alone owns the control plane's own machine (the local server) and may build from local paths.
   */
  adminOrgId(): Promise<string | null> {
    return this.repo.oldestOrgId();
  }

  /** How long the org's telemetry is kept, when it chose (null: the installation's default). */
  async telemetryRetentionDays(orgId: string): Promise<number | null> {
    const org = await this.repo.findOrg(orgId);
    return org?.settings?.telemetry_retention_days ?? null;
  }

  /** The org's setting that keeps terminals to owners and admins. */
  async terminalAdminsOnly(orgId: string): Promise<boolean> {
    const org = await this.repo.findOrg(orgId);
    return org?.settings?.terminal_admins_only ?? false;
  }

  async isAdminOrg(orgId: string): Promise<boolean> {
    return (await this.repo.oldestOrgId()) === orgId;
  }

  /** Used inside registration's transaction: the new user's own organisation. */
  async createInTransaction(trx: Knex.Transaction, ownerId: string, name: string, slug?: string) {
    const finalSlug = slug ?? (await uniqueSlug(name, (s) => this.repo.slugTaken(s, trx)));
    if (slug && (await this.repo.slugTaken(slug, trx))) throw new ConflictError(`The slug "${slug}" is taken`);
    return this.repo.insertOrg(trx, { name, slug: finalSlug, owner_id: ownerId });
  }

  async create(actor: Actor, input: { name: string; slug?: string | undefined }) {
    const org = await this.db.transaction(async (trx) => {
      const created = await this.createInTransaction(trx, actor.userId, input.name, input.slug);
      await this.audit.record({ orgId: created.id, actorId: actor.userId, action: 'org.created', targetType: 'org', targetId: created.id, ip: actor.ip, userAgent: actor.userAgent }, trx);
      return created;
    });
    return { ...toOrgDto(org), role: 'owner' as const };
  }

  /** `onlyOrgId`: the caller is a token bound to that organisation; the others do not exist for it. */
  async listForUser(userId: string, onlyOrgId: string | null = null) {
    const orgs = (await this.repo.orgsOfUser(userId)).filter((o) => !onlyOrgId || o.id === onlyOrgId);
    return orgs.map((o) => ({ ...toOrgDto(o), role: o.role }));
  }

  async summariesForUser(userId: string, onlyOrgId: string | null = null) {
    const orgs = (await this.repo.orgsOfUser(userId)).filter((o) => !onlyOrgId || o.id === onlyOrgId);
    return orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.name, role: o.role }));
  }

  async get(orgId: string, role: OrgRole) {
    const org = await this.repo.findOrg(orgId);
    if (!org) throw new NotFoundError('Organisation');
    return { ...toOrgDto(org), role };
  }

  async update(orgId: string, role: OrgRole, actor: Actor, input: { name?: string | undefined; slug?: string | undefined; settings?: { terminal_admins_only?: boolean | undefined; telemetry_retention_days?: number | undefined } | undefined }) {
    const current = await this.repo.findOrg(orgId);
    if (!current) throw new NotFoundError('Organisation');
    if (input.slug && input.slug !== current.slug && (await this.repo.slugTaken(input.slug))) {
      throw new ConflictError(`The slug "${input.slug}" is taken`);
    }
    const settings = input.settings ? { ...current.settings, ...input.settings } : undefined;
    const updated = await this.repo.updateOrg(orgId, {
      ...(input.name ? { name: input.name } : {}),
      ...(input.slug ? { slug: input.slug } : {}),
      ...(settings ? { settings } : {}),
    });
    if (!updated) throw new NotFoundError('Organisation');
    await this.audit.record({ orgId, actorId: actor.userId, action: 'org.updated', targetType: 'org', targetId: orgId, ip: actor.ip, userAgent: actor.userAgent, metadata: { fields: Object.keys(input) } });
    return { ...toOrgDto(updated), role };
  }

  async members(orgId: string) {
    const rows = await this.repo.members(orgId);
    return rows.map(toMemberDto);
  }

  /** Role changes: nobody grants above their own role, and an organisation always keeps an owner. */
  async changeRole(orgId: string, actorRole: OrgRole, actor: Actor, userId: string, role: OrgRole) {
    return this.db.transaction(async (trx) => {
      const target = await this.repo.member(orgId, userId, trx);
      if (!target) throw new NotFoundError('Member');
      const assignable = rolesAssignableBy(actorRole);
      if (!assignable.includes(role) || !assignable.includes(target.role)) {
        throw new ForbiddenError(`A ${actorRole} cannot change a ${target.role} into a ${role}`);
      }
      if (target.role === 'owner' && role !== 'owner' && (await this.repo.countOwners(orgId, trx)) <= 1) {
        throw new ConflictError('The last owner cannot be demoted; make someone else an owner first');
      }
      await this.repo.setRole(orgId, userId, role, trx);
      await this.audit.record({ orgId, actorId: actor.userId, action: 'member.role_changed', targetType: 'user', targetId: userId, ip: actor.ip, userAgent: actor.userAgent, metadata: { from: target.role, to: role } }, trx);
      const updated = await this.repo.memberWithUser(orgId, userId, trx);
      return toMemberDto(updated!);
    });
  }

  /**
   * Anyone may leave; removing someone else takes `members.manage` (by role and token scope: the
   * route is open to every member for leaving) and a role at least theirs.
   */
  async remove(orgId: string, actorRole: OrgRole, can: EffectivePermissions, actor: Actor, userId: string) {
    await this.db.transaction(async (trx) => {
      const target = await this.repo.member(orgId, userId, trx);
      if (!target) throw new NotFoundError('Member');
      const self = userId === actor.userId;
      if (!self && (!can.has('members.manage') || !rolesAssignableBy(actorRole).includes(target.role))) {
        throw new ForbiddenError(`A ${actorRole} cannot remove a ${target.role}`);
      }
      if (target.role === 'owner' && (await this.repo.countOwners(orgId, trx)) <= 1) {
        throw new ConflictError('The last owner cannot leave; make someone else an owner first');
      }
      await this.repo.removeMember(orgId, userId, trx);
      await this.audit.record({ orgId, actorId: actor.userId, action: self ? 'member.left' : 'member.removed', targetType: 'user', targetId: userId, ip: actor.ip, userAgent: actor.userAgent, metadata: { role: target.role } }, trx);
    });
  }

  async invite(orgId: string, actorRole: OrgRole, actor: Actor, input: { email: string; role: OrgRole }) {
    if (!rolesAssignableBy(actorRole).includes(input.role)) {
      throw new ForbiddenError(`A ${actorRole} cannot invite a ${input.role}`);
    }
    const token = newSecretToken('syn_inv_');
    const invite = await this.repo.insertInvite({
      org_id: orgId,
      email: input.email,
      role: input.role,
      token_hash: sha256Hex(token),
      invited_by: actor.userId,
      expires_at: new Date(Date.now() + INVITE_TTL_MS),
    });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'invite.created', targetType: 'invite', targetId: invite.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { email: input.email, role: input.role } });
    return {
      id: invite.id,
      email: invite.email,
      role: invite.role,
      expires_at: iso(invite.expires_at),
      token,
      accept_url: `${this.publicUrl}/invite/${encodeURIComponent(token)}`,
    };
  }

  async pendingInvites(orgId: string) {
    const rows = await this.repo.pendingInvites(orgId);
    return rows.map((i) => ({ id: i.id, email: i.email, role: i.role, expires_at: iso(i.expires_at), created_at: iso(i.created_at) }));
  }

  async revokeInvite(orgId: string, actor: Actor, inviteId: string) {
    const deleted = await this.repo.deleteInvite(orgId, inviteId);
    if (!deleted) throw new NotFoundError('Invite');
    await this.audit.record({ orgId, actorId: actor.userId, action: 'invite.revoked', targetType: 'invite', targetId: inviteId, ip: actor.ip, userAgent: actor.userAgent });
  }

  private async liveInvite(token: string, trx?: Knex.Transaction) {
    const invite = await this.repo.inviteByHash(sha256Hex(token), trx);
    if (!invite || invite.accepted_at || invite.expires_at.getTime() < Date.now()) throw new NotFoundError('Invite');
    return invite;
  }

  async previewInvite(token: string) {
    const invite = await this.liveInvite(token);
    return { org_name: invite.organization.name, email: invite.email, role: invite.role, expires_at: iso(invite.expires_at) };
  }

  /** The invite is bound to its email: only the account with that address may use it. */
  async acceptInvite(token: string, actor: Actor & { email: string }) {
    return this.db.transaction((trx) => this.joinByInviteInTransaction(trx, token, actor));
  }

  /**
   * Consumes a live invite for `actor` (whose email must be the invited one) and adds them with the
   * invite's role. Registration calls it inside its own transaction, so a refused invite leaves no account.
   */
  async joinByInviteInTransaction(trx: Knex.Transaction, token: string, actor: Actor & { email: string }) {
    const invite = await this.liveInvite(token, trx);
    if (invite.email.toLowerCase() !== actor.email.toLowerCase()) {
      throw new ForbiddenError(`This invite is for ${invite.email}; sign in with that address to accept it`);
    }
    if (await this.repo.member(invite.org_id, actor.userId, trx)) throw new ConflictError('You are already a member of this organisation');
    if (!(await this.repo.markInviteAccepted(invite.id, actor.userId, trx))) throw new NotFoundError('Invite');
    await this.repo.addMember(trx, { org_id: invite.org_id, user_id: actor.userId, role: invite.role, invited_by: invite.invited_by });
    await this.audit.record({ orgId: invite.org_id, actorId: actor.userId, action: 'invite.accepted', targetType: 'invite', targetId: invite.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { role: invite.role } }, trx);
    const org = invite.organization;
    return { org: { id: org.id, slug: org.slug, name: org.name, role: invite.role } };
  }

  /** Checks an invite token for registration before anything is written (404 when unusable, 403 for another email). */
  async checkInviteFor(token: string, email: string, trx?: Knex.Transaction) {
    const invite = await this.liveInvite(token, trx);
    if (invite.email.toLowerCase() !== email.toLowerCase()) {
      throw new ForbiddenError(`This invite is for ${invite.email}; register with that address`);
    }
  }

  /** The ids of live invites sent to `email`, newest first (an OAuth sign-up with that verified address may use them). */
  async liveInviteIdsFor(email: string, trx?: Knex.Transaction): Promise<string[]> {
    const rows = await this.repo.liveInvitesFor(email, trx);
    return rows.map((r) => r.id);
  }

  /** Like joinByInviteInTransaction, by invite id, for an identity whose email a provider verified. */
  async joinByInviteIdInTransaction(trx: Knex.Transaction, inviteId: string, actor: Actor) {
    const invite = await this.repo.inviteById(inviteId, trx);
    if (!invite || invite.accepted_at || invite.expires_at.getTime() < Date.now()) throw new NotFoundError('Invite');
    if (!(await this.repo.markInviteAccepted(invite.id, actor.userId, trx))) throw new NotFoundError('Invite');
    await this.repo.addMember(trx, { org_id: invite.org_id, user_id: actor.userId, role: invite.role, invited_by: invite.invited_by });
    await this.audit.record({ orgId: invite.org_id, actorId: actor.userId, action: 'invite.accepted', targetType: 'invite', targetId: invite.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { role: invite.role } }, trx);
  }
}
