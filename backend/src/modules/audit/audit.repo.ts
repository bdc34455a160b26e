import type { Knex } from 'knex';
import type { PageQuery } from '@syntra/shared';
import { applyKeyset } from '../../lib/pagination.js';
import type { AuditEntryRow } from './audit.tables.js';

export type AuditEntryWithActor = AuditEntryRow & { actor: { id: string; email: string } | null };

type ListRow = AuditEntryRow & { actor_email: string | null };

export class AuditRepo {
  constructor(private readonly db: Knex) {}

  async insert(db: Knex | Knex.Transaction, entry: Omit<AuditEntryRow, 'id' | 'created_at'>): Promise<void> {
    await db('audit_log').insert(entry);
  }

  /*
   * An org's log also holds its members' account-level events (sign-ins, personal tokens: no org),
   * and each entry shows its actor's email: read-only joins on orgs' org_members and auth's users,
   * which both depend on this module. `limit + 1` rows, newest first, for pageResult.
   */
  async listForOrg(orgId: string, page: PageQuery & { action?: string | undefined }): Promise<AuditEntryWithActor[]> {
    const query = this.db('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_id')
      .select('audit_log.*', 'users.email as actor_email')
      .where((q) =>
        q.where('audit_log.org_id', orgId).orWhere((q2) =>
          q2.whereNull('audit_log.org_id').whereIn('audit_log.actor_id', (sub) => sub.select('user_id').from('org_members').where('org_id', orgId)),
        ),
      );
    if (page.action) void query.where('audit_log.action', page.action);
    const rows = (await applyKeyset(query, page.cursor, 'audit_log.created_at', 'audit_log.id', page.limit)) as unknown as ListRow[];
    return rows.map(({ actor_email, ...entry }) => ({
      ...entry,
      actor: entry.actor_id && actor_email !== null ? { id: entry.actor_id, email: actor_email } : null,
    }));
  }
}
