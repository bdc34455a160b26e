import type { Knex } from 'knex';
import type { PageQuery } from '@syntra/shared';
import { iso } from '../../lib/iso.js';
import { pageResult } from '../../lib/pagination.js';
import { AuditRepo } from './audit.repo.js';

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
  private readonly repo: AuditRepo;

  constructor(private readonly db: Knex) {
    this.repo = new AuditRepo(db);
  }

  async record(event: AuditEvent, trx?: Knex.Transaction): Promise<void> {
    await this.repo.insert(trx ?? this.db, {
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
    const rows = await this.repo.listForOrg(orgId, page);
    return pageResult(
      rows,
      page.limit,
      (r) => ({ at: r.created_at, id: r.id }),
      (r) => ({
        id: r.id,
        actor: r.actor,
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
