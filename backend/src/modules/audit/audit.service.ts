import type { Knex } from 'knex';
import type { PageQuery } from '@syntra/shared';
import { AuditEntryModel } from '../../db/models/index.js';
import { iso } from '../../lib/iso.js';
import { applyKeyset, pageResult } from '../../lib/pagination.js';

export interface AuditEvent {
  orgId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  userAgent?: string | null;
  /** Never secrets or values: keys, roles, names. */
  metadata?: Record<string, unknown>;
}

export class AuditService {
  constructor(private readonly db: Knex) {}

  async record(event: AuditEvent, trx?: Knex.Transaction): Promise<void> {
    await AuditEntryModel.query(trx ?? this.db).insert({
      org_id: event.orgId,
      actor_id: event.actorId,
      action: event.action,
      target_type: event.targetType ?? null,
      target_id: event.targetId ?? null,
      ip: event.ip ?? null,
      user_agent: event.userAgent?.slice(0, 500) ?? null,
      metadata: event.metadata ?? {},
    });
  }

  async list(orgId: string, page: PageQuery & { action?: string | undefined }) {
    // Account-level events (sign-ins, personal tokens) have no org; an org's admins see those of its members.
    const query = AuditEntryModel.query(this.db)
      .withGraphJoined('actor')
      .where((q) =>
        q.where('audit_log.org_id', orgId).orWhere((q2) =>
          q2.whereNull('audit_log.org_id').whereIn('audit_log.actor_id', (sub) => sub.select('user_id').from('org_members').where('org_id', orgId)),
        ),
      );
    if (page.action) void query.where('audit_log.action', page.action);
    const rows = await applyKeyset(query, page.cursor, 'audit_log.created_at', 'audit_log.id', page.limit);
    return pageResult(
      rows,
      page.limit,
      (r) => ({ at: r.created_at, id: r.id }),
      (r) => ({
        id: r.id,
        actor: r.actor ? { id: r.actor.id, email: r.actor.email } : null,
        action: r.action,
        target_type: r.target_type,
        target_id: r.target_id,
        ip: r.ip,
        user_agent: r.user_agent,
        metadata: r.metadata,
        created_at: iso(r.created_at),
      }),
    );
  }
}
