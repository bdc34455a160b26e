import type { OrgRole } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The orgs module's tables: organisations, their members and pending invites. */

export interface OrgSettings {
  terminal_admins_only?: boolean;
  /** Telemetry rows written for the org carry this TTL (days); unset: SYNTRA_TELEMETRY_RETENTION_DAYS. */
  telemetry_retention_days?: number;
}

export interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  owner_id: string;
  plan: string;
  stripe_subscription_id: string | null;
  /** jsonb; pg parses it on read and serialises the object on write. */
  settings: OrgSettings;
  created_at: Date;
  updated_at: Date;
}

/** Keyed by (org_id, user_id). */
export interface OrgMemberRow {
  org_id: string;
  user_id: string;
  role: OrgRole;
  invited_by: string | null;
  invited_at: Date | null;
  accepted_at: Date | null;
}

export interface InviteRow {
  id: string;
  org_id: string;
  email: string;
  role: OrgRole;
  token_hash: string;
  invited_by: string | null;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    organizations: Table<OrganizationRow, 'name' | 'slug' | 'owner_id', 'settings'>;
    org_members: Table<OrgMemberRow, 'org_id' | 'user_id' | 'role'>;
    invites: Table<InviteRow, 'org_id' | 'email' | 'role' | 'token_hash' | 'expires_at'>;
  }
}
