import type { Knex } from 'knex';
import type { ErrorEventStore, EventRef, NewStoredEvent, StoredEvent, StoredEventHead } from './event-store.js';

const HEAD = ['id', 'event_id', 'error_group_id', 'timestamp', 'level', 'message', 'environment', 'release', 'deployment_id', 'received_at'] as const;
/** Rows per INSERT: 15 columns each stays far below PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1000;

/** The events in PostgreSQL's `error_events` (the seed table, keyed by (service_id, event_id)). */
export class PgErrorEventStore implements ErrorEventStore {
  constructor(private readonly db: Knex) {}

  async insertNew(trx: Knex.Transaction, events: readonly NewStoredEvent[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (let i = 0; i < events.length; i += CHUNK) {
      const rows = await trx('error_events')
        .insert(events.slice(i, i + CHUNK) as NewStoredEvent[])
        .onConflict(['service_id', 'event_id'])
        .ignore()
        .returning(['service_id', 'event_id']);
      for (const r of rows) stored.add(`${r.service_id}:${r.event_id}`);
    }
    return stored;
  }

  async page(issueId: string, limit: number, after: { at: string; id: string } | null): Promise<StoredEventHead[]> {
    const q = this.db('error_events').where({ error_group_id: issueId }).select(...HEAD);
    if (after) q.whereRaw('(timestamp, id) < (?::timestamptz, ?::uuid)', [after.at, after.id]);
    return q.orderBy([{ column: 'timestamp', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  }

  async find(issueId: string, ref: EventRef): Promise<StoredEvent | undefined> {
    const q = this.db('error_events').where({ error_group_id: issueId }).select(...HEAD, 'payload');
    if (ref === 'latest' || ref === 'oldest') {
      const order = ref === 'latest' ? 'desc' : 'asc';
      return q.orderBy([{ column: 'timestamp', order }, { column: 'id', order }]).first();
    }
    return q.where({ event_id: ref.eventId }).first();
  }

  async neighbours(issueId: string, at: Date, id: string): Promise<{ older: string | null; newer: string | null }> {
    const [older, newer] = await Promise.all([
      this.db('error_events')
        .where({ error_group_id: issueId })
        .whereRaw('(timestamp, id) < (?::timestamptz, ?::uuid)', [at, id])
        .orderBy([{ column: 'timestamp', order: 'desc' }, { column: 'id', order: 'desc' }])
        .first('event_id'),
      this.db('error_events')
        .where({ error_group_id: issueId })
        .whereRaw('(timestamp, id) > (?::timestamptz, ?::uuid)', [at, id])
        .orderBy([{ column: 'timestamp', order: 'asc' }, { column: 'id', order: 'asc' }])
        .first('event_id'),
    ]);
    return { older: older?.event_id ?? null, newer: newer?.event_id ?? null };
  }

  async releasesSeenBefore(trx: Knex.Transaction, issueId: string, releases: readonly string[], before: Date): Promise<Set<string>> {
    if (releases.length === 0) return new Set();
    const rows = await trx('error_events')
      .distinct('release')
      .where({ error_group_id: issueId })
      .whereIn('release', releases as string[])
      .where('timestamp', '<=', before);
    return new Set(rows.map((r) => r.release).filter((r): r is string => r !== null));
  }

  async latestEventIds(issueIds: readonly string[]): Promise<Map<string, string>> {
    if (issueIds.length === 0) return new Map();
    const rows = await this.db('error_events')
      .distinctOn('error_group_id')
      .select('error_group_id', 'event_id')
      .whereIn('error_group_id', issueIds as string[])
      .orderBy([{ column: 'error_group_id' }, { column: 'timestamp', order: 'desc' }, { column: 'id', order: 'desc' }]);
    return new Map(rows.map((r) => [r.error_group_id, r.event_id]));
  }

  async prune(orgId: string, before: Date, limit: number): Promise<number> {
    // Batches keep each DELETE's locks and WAL small; the retention worker loops until none are left.
    const n = await this.db('error_events')
      .whereIn('id', this.db('error_events').select('id').where({ org_id: orgId }).where('timestamp', '<', before).limit(limit))
      .delete();
    return n;
  }
}
