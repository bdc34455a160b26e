import type { IssueLevel, IssueStatus } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** One issue: the events of one service that share a fingerprint (Sentry's grouping), and its mutable state. */
export interface ErrorGroupRow {
  id: string;
  org_id: string;
  project_id: string;
  service_id: string;
  /** sha256 hex of the grouping components (see grouping/fingerprint.ts). */
  fingerprint: string;
  title: string;
  /** Function and file of the top in-app frame (`handler (src/app.js)`), else the transaction or logger. */
  culprit: string | null;
  exception_type: string | null;
  level: IssueLevel;
  /** The first event's message or exception value, searched by the list's text filter. */
  message: string | null;
  platform: string | null;
  status: IssueStatus;
  /** Seed column, unused by grouping (the level is what SDKs send). */
  severity: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  event_count: number;
  user_count: number;
  first_release: string | null;
  last_release: string | null;
  environments: string[];
  /** The deployment that was running when the first event happened (the deploy that introduced it). */
  first_deployment_id: string | null;
  assigned_to: string | null;
  resolve_in_next_release: boolean;
  /** With resolve_in_next_release: the release current when resolved; events of that release do not regress. */
  resolved_in_release: string | null;
  ignored_until_at: Date | null;
  /** Ignored until event_count reaches this. */
  ignored_until_count: number | null;
  ai_analysis: Record<string, unknown> | null;
  ai_analyzed_at: Date | null;
  resolved_at: Date | null;
  status_changed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** An event already counted on its issue (the (service, event id) of a redelivered batch adds nothing). */
export interface ErrorCountedEventRow {
  service_id: string;
  /** The SDK's event_id (32 lower-case hex). */
  event_id: string;
  counted_at: Date;
}

/** A release an issue has seen, and the first event's time in it (events themselves are in ClickHouse). */
export interface ErrorGroupReleaseRow {
  error_group_id: string;
  release: string;
  first_seen_at: Date;
}

/** A hashed distinct user of an issue (user.id, else email, else IP): user_count counts these. */
export interface ErrorGroupUserRow {
  error_group_id: string;
  user_hash: string;
}

/** Events per issue per hour: the 24 h and 14 d sparklines. */
export interface ErrorGroupHourlyRow {
  error_group_id: string;
  hour: Date;
  count: number;
}

/** An organisation's event retention (absent: the default, 30 days). */
export interface ErrorRetentionRow {
  org_id: string;
  retention_days: number;
  /** False: the organisation has not chosen, the default applies. */
  chosen: boolean;
  last_pruned_at: Date | null;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    error_groups: Table<
      ErrorGroupRow,
      'org_id' | 'project_id' | 'service_id' | 'fingerprint' | 'title' | 'first_seen_at' | 'last_seen_at',
      'ai_analysis'
    >;
    error_counted_events: Table<ErrorCountedEventRow, 'service_id' | 'event_id'>;
    error_group_releases: Table<ErrorGroupReleaseRow, 'error_group_id' | 'release' | 'first_seen_at'>;
    error_group_users: Table<ErrorGroupUserRow, 'error_group_id' | 'user_hash'>;
    error_group_hourly: Table<ErrorGroupHourlyRow, 'error_group_id' | 'hour'>;
    error_retention: Table<ErrorRetentionRow, 'org_id'>;
  }
}
