import type { Knex } from 'knex';
import type { OrgRole } from '@syntra/shared';
import { InviteModel, OrgMemberModel, OrganizationModel } from '../../db/models/index.js';

export class OrgsRepo {
  constructor(private readonly db: Knex) {}

  slugTaken(slug: string, trx?: Knex.Transaction): Promise<boolean> {
    return OrganizationModel.query(trx ?? this.db).where({ slug }).resultSize().then((n) => n > 0);
  }

  async insertOrg(trx: Knex.Transaction, org: { name: string; slug: string; owner_id: string }) {
    const created = await OrganizationModel.query(trx).insert({ ...org, settings: {} }).returning('*');
    await OrgMemberModel.query(trx).insert({ org_id: created.id, user_id: org.owner_id, role: 'owner', accepted_at: new Date() });
    return created;
  }

  /** The installation's first organisation: created_at, then id, so ties cannot flip between calls. */
  async oldestOrgId(): Promise<string | null> {
    const row = await OrganizationModel.query(this.db).select('id').orderBy([{ column: 'created_at', order: 'asc' }, { column: 'id', order: 'asc' }]).first();
    return row?.id ?? null;
  }

  findOrg(orgId: string) {
    return OrganizationModel.query(this.db).findById(orgId);
  }

  updateOrg(orgId: string, patch: Partial<Pick<OrganizationModel, 'name' | 'slug' | 'settings'>>) {
    return OrganizationModel.query(this.db).patchAndFetchById(orgId, { ...patch, updated_at: new Date() });
  }

  async roleOf(orgId: string, userId: string): Promise<OrgRole | null> {
    const row = await OrgMemberModel.query(this.db).select('role').where({ org_id: orgId, user_id: userId }).first();
    return row?.role ?? null;
  }

  async firstOrgIdOf(userId: string): Promise<string | null> {
    const row = await OrgMemberModel.query(this.db).select('org_id').where({ user_id: userId }).orderBy('invited_at').first();
    return row?.org_id ?? null;
  }

  orgsOfUser(userId: string) {
    return OrganizationModel.query(this.db)
      .join('org_members', 'org_members.org_id', 'organizations.id')
      .where('org_members.user_id', userId)
      .select('organizations.*', 'org_members.role')
      .orderBy('org_members.invited_at') as unknown as Promise<Array<OrganizationModel & { role: OrgRole }>>;
  }

  members(orgId: string) {
    return OrgMemberModel.query(this.db).where('org_members.org_id', orgId).withGraphJoined('user').orderBy('org_members.invited_at');
  }

  member(orgId: string, userId: string, trx?: Knex.Transaction) {
    return OrgMemberModel.query(trx ?? this.db).where({ org_id: orgId, user_id: userId }).first();
  }

  countOwners(orgId: string, trx: Knex.Transaction) {
    return OrgMemberModel.query(trx).where({ org_id: orgId, role: 'owner' }).forUpdate().resultSize();
  }

  setRole(orgId: string, userId: string, role: OrgRole, trx: Knex.Transaction) {
    return OrgMemberModel.query(trx).patch({ role }).where({ org_id: orgId, user_id: userId });
  }

  removeMember(orgId: string, userId: string, trx: Knex.Transaction) {
    return OrgMemberModel.query(trx).delete().where({ org_id: orgId, user_id: userId });
  }

  addMember(trx: Knex.Transaction, member: { org_id: string; user_id: string; role: OrgRole; invited_by: string | null }) {
    return OrgMemberModel.query(trx).insert({ ...member, accepted_at: new Date() });
  }

  insertInvite(invite: Pick<InviteModel, 'org_id' | 'email' | 'role' | 'token_hash' | 'invited_by' | 'expires_at'>) {
    return InviteModel.query(this.db).insert(invite).returning('*');
  }

  pendingInvites(orgId: string) {
    return InviteModel.query(this.db).where({ org_id: orgId }).whereNull('accepted_at').where('expires_at', '>', new Date()).orderBy('created_at', 'desc');
  }

  inviteByHash(tokenHash: string, trx?: Knex.Transaction) {
    return InviteModel.query(trx ?? this.db).where({ token_hash: tokenHash }).withGraphFetched('organization').first();
  }

  inviteById(inviteId: string, trx?: Knex.Transaction) {
    return InviteModel.query(trx ?? this.db).findById(inviteId);
  }

  liveInvitesFor(email: string, trx?: Knex.Transaction) {
    return InviteModel.query(trx ?? this.db)
      .whereRaw('lower(email) = ?', [email.toLowerCase()])
      .whereNull('accepted_at')
      .where('expires_at', '>', new Date())
      .orderBy('created_at', 'desc');
  }

  markInviteAccepted(inviteId: string, userId: string, trx: Knex.Transaction) {
    return InviteModel.query(trx).patch({ accepted_at: new Date(), accepted_by: userId }).where({ id: inviteId }).whereNull('accepted_at');
  }

  deleteInvite(orgId: string, inviteId: string) {
    return InviteModel.query(this.db).delete().where({ org_id: orgId, id: inviteId }).whereNull('accepted_at');
  }
}
