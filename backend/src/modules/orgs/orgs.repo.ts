import type { Knex } from 'knex';
import type { OrgRole } from '@syntra/shared';
import type { InviteRow, OrganizationRow, OrgMemberRow } from './orgs.tables.js';

/** A member with the profile the members list shows (read from auth's users table, see below). */
export type MemberWithUser = OrgMemberRow & { user: { email: string; name: string | null; avatar_url: string | null } };

/** An invite with the organisation it is for. */
export type InviteWithOrg = InviteRow & { organization: Pick<OrganizationRow, 'id' | 'slug' | 'name'> };

export class OrgsRepo {
  constructor(private readonly db: Knex) {}

  async slugTaken(slug: string, trx?: Knex.Transaction): Promise<boolean> {
    return Boolean(await (trx ?? this.db)('organizations').where({ slug }).first('id'));
  }

  async insertOrg(trx: Knex.Transaction, org: { name: string; slug: string; owner_id: string }): Promise<OrganizationRow> {
    const [created] = await trx('organizations').insert({ ...org, settings: {} }).returning('*');
    await trx('org_members').insert({ org_id: created!.id, user_id: org.owner_id, role: 'owner', accepted_at: new Date() });
    return created!;
  }

  /** The installation's first organisation: created_at, then id, so ties cannot flip between calls. */
  async oldestOrgId(): Promise<string | null> {
    const row = await this.db('organizations').orderBy([{ column: 'created_at', order: 'asc' }, { column: 'id', order: 'asc' }]).first('id');
    return row?.id ?? null;
  }

  findOrg(orgId: string): Promise<OrganizationRow | undefined> {
    return this.db('organizations').where({ id: orgId }).first();
  }

  async updateOrg(orgId: string, patch: Partial<Pick<OrganizationRow, 'name' | 'slug' | 'settings'>>): Promise<OrganizationRow | undefined> {
    const [row] = await this.db('organizations').where({ id: orgId }).update({ ...patch, updated_at: new Date() }).returning('*');
    return row;
  }

  async roleOf(orgId: string, userId: string): Promise<OrgRole | null> {
    const row = await this.db('org_members').where({ org_id: orgId, user_id: userId }).first('role');
    return row?.role ?? null;
  }

  async firstOrgIdOf(userId: string): Promise<string | null> {
    const row = await this.db('org_members').where({ user_id: userId }).orderBy('invited_at').first('org_id');
    return row?.org_id ?? null;
  }

  orgsOfUser(userId: string): Promise<Array<OrganizationRow & { role: OrgRole }>> {
    return this.db('organizations')
      .join('org_members', 'org_members.org_id', 'organizations.id')
      .where('org_members.user_id', userId)
      .select('organizations.*', 'org_members.role')
      .orderBy('org_members.invited_at') as unknown as Promise<Array<OrganizationRow & { role: OrgRole }>>;
  }

  /*
   * The members list shows each member's email, name and avatar: a read-only join on auth's users
   * table (auth depends on this module, so it cannot be asked). Nothing here writes users.
   */
  private membersWithUser(db: Knex | Knex.Transaction) {
    return db('org_members')
      .leftJoin('users', 'users.id', 'org_members.user_id')
      .select('org_members.*', 'users.email as user_email', 'users.name as user_name', 'users.avatar_url as user_avatar_url');
  }

  async members(orgId: string): Promise<MemberWithUser[]> {
    const rows = await this.membersWithUser(this.db).where('org_members.org_id', orgId).orderBy('org_members.invited_at');
    return (rows as unknown as MemberJoinRow[]).map(withUser);
  }

  async memberWithUser(orgId: string, userId: string, trx: Knex.Transaction): Promise<MemberWithUser | undefined> {
    const row = await this.membersWithUser(trx).where('org_members.org_id', orgId).where('org_members.user_id', userId).first();
    return row ? withUser(row as unknown as MemberJoinRow) : undefined;
  }

  member(orgId: string, userId: string, trx?: Knex.Transaction): Promise<OrgMemberRow | undefined> {
    return (trx ?? this.db)('org_members').where({ org_id: orgId, user_id: userId }).first();
  }

  /** Locks the owners' rows until the transaction ends, so two demotions cannot both pass "another owner remains". */
  async countOwners(orgId: string, trx: Knex.Transaction): Promise<number> {
    const rows = await trx('org_members').where({ org_id: orgId, role: 'owner' }).forUpdate().select('user_id');
    return rows.length;
  }

  setRole(orgId: string, userId: string, role: OrgRole, trx: Knex.Transaction): Promise<number> {
    return trx('org_members').update({ role }).where({ org_id: orgId, user_id: userId });
  }

  removeMember(orgId: string, userId: string, trx: Knex.Transaction): Promise<number> {
    return trx('org_members').delete().where({ org_id: orgId, user_id: userId });
  }

  async addMember(trx: Knex.Transaction, member: { org_id: string; user_id: string; role: OrgRole; invited_by: string | null }): Promise<void> {
    await trx('org_members').insert({ ...member, accepted_at: new Date() });
  }

  async insertInvite(invite: Pick<InviteRow, 'org_id' | 'email' | 'role' | 'token_hash' | 'invited_by' | 'expires_at'>): Promise<InviteRow> {
    const [row] = await this.db('invites').insert(invite).returning('*');
    return row!;
  }

  pendingInvites(orgId: string): Promise<InviteRow[]> {
    return this.db('invites').where({ org_id: orgId }).whereNull('accepted_at').where('expires_at', '>', new Date()).orderBy('created_at', 'desc');
  }

  async inviteByHash(tokenHash: string, trx?: Knex.Transaction): Promise<InviteWithOrg | undefined> {
    const row = (await (trx ?? this.db)('invites')
      .join('organizations', 'organizations.id', 'invites.org_id')
      .where('invites.token_hash', tokenHash)
      .first('invites.*', 'organizations.slug as org_slug', 'organizations.name as org_name')) as (InviteRow & { org_slug: string; org_name: string }) | undefined;
    if (!row) return undefined;
    const { org_slug, org_name, ...invite } = row;
    return { ...invite, organization: { id: invite.org_id, slug: org_slug, name: org_name } };
  }

  inviteById(inviteId: string, trx?: Knex.Transaction): Promise<InviteRow | undefined> {
    return (trx ?? this.db)('invites').where({ id: inviteId }).first();
  }

  liveInvitesFor(email: string, trx?: Knex.Transaction): Promise<InviteRow[]> {
    return (trx ?? this.db)('invites')
      .whereRaw('lower(email) = ?', [email.toLowerCase()])
      .whereNull('accepted_at')
      .where('expires_at', '>', new Date())
      .orderBy('created_at', 'desc');
  }

  markInviteAccepted(inviteId: string, userId: string, trx: Knex.Transaction): Promise<number> {
    return trx('invites').update({ accepted_at: new Date(), accepted_by: userId }).where({ id: inviteId }).whereNull('accepted_at');
  }

  deleteInvite(orgId: string, inviteId: string): Promise<number> {
    return this.db('invites').delete().where({ org_id: orgId, id: inviteId }).whereNull('accepted_at');
  }
}

type MemberJoinRow = OrgMemberRow & { user_email: string | null; user_name: string | null; user_avatar_url: string | null };

function withUser({ user_email, user_name, user_avatar_url, ...member }: MemberJoinRow): MemberWithUser {
  return { ...member, user: { email: user_email ?? '', name: user_name, avatar_url: user_avatar_url } };
}
