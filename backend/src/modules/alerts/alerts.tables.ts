import type { Table } from '../../db/table.js';

export interface AlertRuleRow {
  id: string;
  org_id: string;
  name: string;
  kind: string;
  scope_server_id: string | null;
  scope_service_id: string | null;
  scope_project_id: string | null;
  condition: Record<string, unknown>;
  severity: string;
  for_seconds: number;
  cooldown_seconds: number;
  channel_ids: string[];
  enabled: boolean;
  created_by: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  next_eval_at: Date;
  last_evaluated_at: Date | null;
  last_fired_at: Date | null;
  /** Event kinds: the durable records behind their events are read up to here (the catch-up). */
  event_cursor: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface AlertEventRow {
  id: string;
  org_id: string;
  rule_id: string;
  status: 'pending' | 'firing' | 'resolved';
  severity: string;
  /** What the event is about (`server:<id>`, `service:<id>`, `org`): one open event per rule and subject. */
  subject_key: string;
  /** The occurrence that caused it, for event kinds heard by every worker: one event per rule and occurrence. */
  occurrence_key: string | null;
  service_id: string | null;
  server_id: string | null;
  summary: string;
  values: Record<string, unknown>;
  silenced: boolean;
  started_at: Date;
  fired_at: Date | null;
  resolved_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

export interface AlertSilenceRow {
  id: string;
  org_id: string;
  rule_id: string | null;
  scope_server_id: string | null;
  scope_service_id: string | null;
  scope_project_id: string | null;
  until: Date;
  comment: string | null;
  created_by: string | null;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    alert_rules: Table<AlertRuleRow, 'org_id' | 'name' | 'kind' | 'severity', 'condition'>;
    alert_events: Table<AlertEventRow, 'org_id' | 'rule_id' | 'status' | 'severity' | 'subject_key' | 'summary' | 'started_at', 'values'>;
    alert_silences: Table<AlertSilenceRow, 'org_id' | 'until'>;
  }
}
