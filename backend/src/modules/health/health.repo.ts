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

  async insert(checks: readonly NewHealthCheck[], trx?: Knex.Transaction): Promise<void> {
    const rows = checks.map((c) => ({ service_id: c.serviceId, checked_at: c.checkedAt, is_healthy: c.healthy, status_code: c.statusCode, response_time_ms: c.responseMs, error_message: c.error }));
    if (rows.length) await (trx ?? this.db)('health_checks').insert(rows);
  }

  async listByService(serviceId: string, limit: number, opts: { cursor?: Cursor | undefined; healthy?: boolean | undefined }): Promise<HealthCheckRow[]> {
    const q = this.db('health_checks').where({ service_id: serviceId });
    if (opts.healthy !== undefined) void q.where({ is_healthy: opts.healthy });
    if (opts.cursor) void q.whereRaw('(checked_at, id) < (?, ?)', [opts.cursor.at, opts.cursor.id]);
    const rows = await q.orderBy([{ column: 'checked_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1);
    return rows.map((r) => ({ ...r, id: String(r.id) }));
  }

  /** Whether each of the newest `n` results was healthy, newest first. */
  async recent(serviceId: string, n: number): Promise<boolean[]> {
    const rows = await this.db('health_checks').where({ service_id: serviceId }).orderBy([{ column: 'checked_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(n).select('is_healthy');
    return rows.map((r) => r.is_healthy);
  }

  async counts(serviceId: string, from: Date, to: Date): Promise<{ total: number; healthy: number }> {
    const { rows } = await this.db.raw<{ rows: Array<{ total: number; healthy: number }> }>(
      'SELECT count(*)::int AS total, count(*) FILTER (WHERE is_healthy)::int AS healthy FROM health_checks WHERE service_id = ? AND checked_at >= ? AND checked_at < ?',
      [serviceId, from, to],
    );
    return { total: Number(rows[0]?.total ?? 0), healthy: Number(rows[0]?.healthy ?? 0) };
  }

  failuresBetween(serviceId: string, from: Date, to: Date, limit: number): Promise<HealthCheckRow[]> {
    return this.db('health_checks').where({ service_id: serviceId, is_healthy: false }).where('checked_at', '>=', from).where('checked_at', '<', to).orderBy('checked_at', 'desc').limit(limit);
  }

  async pruneOlderThan(before: Date): Promise<number> {
    return this.db('health_checks').where('checked_at', '<', before).delete();
  }
}
