import type { Table } from '../../db/table.js';

/** The audit module's table: who did what, append-only. */
export interface AuditEntryRow {
  id: string;
  org_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** jsonb: keys, roles, names — never secrets. */
  metadata: Record<string, unknown>;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    audit_log: Table<AuditEntryRow, 'action', 'metadata'>;
  }
}
