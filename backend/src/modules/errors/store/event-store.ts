import type { Knex } from 'knex';
import type { ErrorEventRow } from '../errors.tables.js';

/** One event to store; `payload` is the normalised event, gzip'd JSON. */
export interface NewStoredEvent {
  org_id: string;
  service_id: string;
  error_group_id: string;
  event_id: string;
  deployment_id: string | null;
  level: ErrorEventRow['level'];
  message: string | null;
  environment: string | null;
  release: string | null;
  user_id_hash: string | null;
  timestamp: string;
  received_at: string;
  payload: Buffer;
  payload_size: number;
}

/** An event's listing fields (no payload). */
export type StoredEventHead = Pick<
  ErrorEventRow,
  'id' | 'event_id' | 'error_group_id' | 'timestamp' | 'level' | 'message' | 'environment' | 'release' | 'deployment_id' | 'received_at'
>;

export type StoredEvent = StoredEventHead & { payload: Buffer | null };

export type EventRef = { eventId: string } | 'latest' | 'oldest';

/**
 * Where events live. PostgreSQL (`error_events`) for now; the telemetry work moves them to
 * ClickHouse behind this interface. Issues (mutable state) stay in PostgreSQL either way.
 */
export interface ErrorEventStore {
  /**
   * Stores the events not stored yet and returns the keys (`service_id:event_id`) of those it
   * stored: redelivered events come back absent, so their counts are not added twice. Runs in the
   * caller's transaction, which holds the locks of the events' issues.
   */
  insertNew(trx: Knex.Transaction, events: readonly NewStoredEvent[]): Promise<Set<string>>;
  /** An issue's events, newest first, after the keyset cursor (timestamp, id). */
  page(issueId: string, limit: number, after: { at: string; id: string } | null): Promise<StoredEventHead[]>;
  find(issueId: string, ref: EventRef): Promise<StoredEvent | undefined>;
  /** The event ids either side of one (by time), for older/newer navigation. */
  neighbours(issueId: string, at: Date, id: string): Promise<{ older: string | null; newer: string | null }>;
  /** Which of these releases the issue already had events of at or before `before` (releases older than a resolve). */
  releasesSeenBefore(trx: Knex.Transaction, issueId: string, releases: readonly string[], before: Date): Promise<Set<string>>;
  latestEventIds(issueIds: readonly string[]): Promise<Map<string, string>>;
  /** Deletes up to `limit` events of the organisation older than `before`; returns how many. */
  prune(orgId: string, before: Date, limit: number): Promise<number>;
}
