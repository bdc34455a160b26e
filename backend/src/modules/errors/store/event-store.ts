import type { IssueLevel } from '@syntra/shared';
import type { NormalizedEvent } from '../normalized-event.js';

/** One event to store; `payload` is the normalised event (stored as JSON, compressed by the store). */
export interface NewStoredEvent {
  org_id: string;
  project_id: string;
  service_id: string;
  error_group_id: string;
  /** The SDK's event_id (32 lower-case hex), unique per service. */
  event_id: string;
  deployment_id: string | null;
  level: IssueLevel;
  message: string | null;
  environment: string | null;
  release: string | null;
  platform: string | null;
  exception_type: string | null;
  culprit: string | null;
  /** `contexts.trace.trace_id`: the error → trace link. */
  trace_id: string | null;
  span_id: string | null;
  fingerprint: string;
  user_id_hash: string | null;
  timestamp: string;
  received_at: string;
  payload: NormalizedEvent;
  /** Days ClickHouse keeps the row (the org's error retention at insert). */
  retention_days: number;
}

/** An event's listing fields (no payload). */
export interface StoredEventHead {
  event_id: string;
  error_group_id: string;
  timestamp: Date;
  level: IssueLevel;
  message: string | null;
  environment: string | null;
  release: string | null;
  deployment_id: string | null;
  received_at: Date | null;
  trace_id: string | null;
}

export type StoredEvent = StoredEventHead & { payload: string };

export type EventRef = { eventId: string } | 'latest' | 'oldest';

/** The issue whose events are read: its tenancy leads the store's sort key. */
export interface IssueRef {
  org_id: string;
  project_id: string;
  service_id: string;
  id: string;
}

/**
 * Where events live (ClickHouse's `error_events`). Issues, their counters and what counting needs
 * (the counted event ids, the releases seen) stay in PostgreSQL.
 */
export interface ErrorEventStore {
  /**
   * Stores the events, idempotently: an event stored before (same service, event id and time) is
   * not stored twice, so a redelivered batch may be written again as a whole.
   */
  insert(events: readonly NewStoredEvent[]): Promise<void>;
  /** An issue's events, newest first, after the keyset cursor (timestamp, event id). */
  page(issue: IssueRef, limit: number, after: { at: string; id: string } | null): Promise<StoredEventHead[]>;
  find(issue: IssueRef, ref: EventRef): Promise<StoredEvent | undefined>;
  /** The event ids either side of one (by time), for older/newer navigation. */
  neighbours(issue: IssueRef, at: Date, eventId: string): Promise<{ older: string | null; newer: string | null }>;
  latestEventIds(issues: readonly IssueRef[]): Promise<Map<string, string>>;
  /** Events of the organisation's service and/or issue that happened in [from, to) (alert rules' error rate, issue 14). */
  countBetween(orgId: string, where: { serviceId?: string | undefined; issueId?: string | undefined }, from: Date, to: Date): Promise<number>;
  /** The same count per time bucket of `stepSeconds` in [from, to): `[bucket start ms, events]`, empty buckets left out (the incident timeline). */
  countSeries(orgId: string, where: { serviceId?: string | undefined; issueId?: string | undefined }, from: Date, to: Date, stepSeconds: number): Promise<Array<[number, number]>>;
}
