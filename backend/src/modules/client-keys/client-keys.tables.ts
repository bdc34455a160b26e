import type { Table } from '../../db/table.js';

/** A service's intake record: the numeric ref of its DSN and the browser origins it accepts. */
export interface IntakeProjectRow {
  service_id: string;
  /** serial: Sentry SDKs and Relay route only numeric project ids. */
  project_ref: number;
  /** text[]; null: any origin may post (the default, as Sentry's `*`). */
  allowed_origins: string[] | null;
  created_at: Date;
}

/** One client key. Revoked keys stay listed (with `revoked_at`) so a DSN still in the field can be recognised. */
export interface ClientKeyRow {
  id: string;
  service_id: string;
  public_key: string;
  created_at: Date;
  revoked_at: Date | null;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    intake_projects: Table<IntakeProjectRow, 'service_id'>;
    client_keys: Table<ClientKeyRow, 'service_id' | 'public_key'>;
  }
}
