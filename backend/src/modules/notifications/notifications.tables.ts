import type { Table } from '../../db/table.js';

/** A place alerts and deploy notifications are sent. `config` holds no secrets; those are in `secrets_sealed` (SecretBox JSON). */
export interface NotificationChannelRow {
  id: string;
  org_id: string;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  secrets_sealed: string | null;
  deploy_events: string[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** One message to one channel (the delivery log): created once per channel and topic, attempted until it succeeds. */
export interface NotificationDeliveryRow {
  id: string;
  org_id: string;
  channel_id: string | null;
  channel_name: string;
  channel_kind: string;
  alert_event_id: string | null;
  topic: string;
  message: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  delivered_at: Date | null;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    notification_channels: Table<NotificationChannelRow, 'org_id' | 'name' | 'kind', 'config'>;
    notification_deliveries: Table<NotificationDeliveryRow, 'org_id' | 'channel_name' | 'channel_kind' | 'topic' | 'message', 'message' | 'attempts'>;
  }
}
