import type { Table } from '../../db/table.js';

/** The webhooks module's table: each provider delivery seen once (a redelivery is recognised, not re-run). */
export interface WebhookDeliveryRow {
  provider: string;
  delivery_id: string;
  event: string;
  deployments_created: number;
  received_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    webhook_deliveries: Table<WebhookDeliveryRow, 'provider' | 'delivery_id' | 'event'>;
  }
}
