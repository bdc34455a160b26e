import type { Knex } from 'knex';
import type { Cursor } from '../../lib/pagination.js';
import type { HealthCheckRow } from './health.tables.js';

export type { HealthCheckRow };

export interface NewHealthCheck {
  serviceId: string;
  checkedAt: Date;
  healthy: boolean;
  statusCode: number | null;
  responseMs: number;
  error: string | null;
}

export class HealthRepo {
  constructor(private readonly db: Knex) {}

  /** Inserts the results whose service runs on `serverId`; others (a stale or foreign id) are dropped. */
  /** Stores the checks of services placed on `serverId` (others are dropped); returns what it stored. */
  async insertForServer(serverId: string, checks: readonly NewHealthCheck[], trx?: Knex.Transaction): Promise<NewHealthCheck[]> {
    if (!checks.length) return [];
    const db = trx ?? this.db;
    const ids = [...new Set(checks.map((c) => c.serviceId))];
    const owned = new Set((await db('services').whereIn('id', ids).where({ server_id: serverId }).pluck('id')) as string[]);
    const stored = checks.filter((c) => owned.has(c.serviceId));
    const rows = stored.map((c) => ({ service_id: c.serviceId, checked_at: c.checkedAt, is_healthy: c.healthy, status_code: c.statusCode, response_time_ms: c.responseMs, error_message: c.error }));
    if (rows.length) await db('health_checks').insert(rows);
    return stored;
  }

  async listByService(serviceId: string, limit: number, opts: { cursor?: Cursor | undefined; healthy?: boolean | undefined }): Promise<HealthCheckRow[]> {
    const q = this.db('health_checks').where({ service_id: serviceId });
    if (opts.healthy !== undefined) void q.where({ is_healthy: opts.healthy });
    if (opts.cursor) void q.whereRaw('(checked_at, id) < (?, ?)', [opts.cursor.at, opts.cursor.id]);
    const rows = (await q.orderBy([{ column: 'checked_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1)) as HealthCheckRow[];
    return rows.map((r) => ({ ...r, id: String(r.id) }));
  }

  async pruneOlderThan(before: Date): Promise<number> {
    return this.db('health_checks').where('checked_at', '<', before).delete();
  }
}
