import type { Table } from '../../db/table.js';

/** The domains module's table: an organisation's claims on hostnames and their DNS proof. */
export interface DomainClaimRow {
  id: string;
  org_id: string;
  hostname: string;
  active: boolean;
  verification_token: string;
  verified_at: Date | null;
  last_checked_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    domain_claims: Table<DomainClaimRow, never>;
  }
}
