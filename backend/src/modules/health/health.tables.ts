import type { Table } from '../../db/table.js';

/** The health module's table: one row per check of a service. */
export interface HealthCheckRow {
  id: string;
  service_id: string;
  status_code: number | null;
  response_time_ms: number;
  is_healthy: boolean;
  error_message: string | null;
  checked_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    health_checks: Table<HealthCheckRow, never>;
  }
}
