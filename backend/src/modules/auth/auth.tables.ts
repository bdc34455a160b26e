import type { Table } from '../../db/table.js';

/** The auth module's tables: accounts, sessions and OAuth links. Nothing else writes them. */

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  avatar_url: string | null;
  password_hash: string | null;
  plan: string;
  stripe_customer_id: string | null;
  email_verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface SessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Keyed by (provider, provider_user_id). */
export interface OAuthAccountRow {
  provider: string;
  provider_user_id: string;
  user_id: string;
  email: string | null;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    users: Table<UserRow, 'email'>;
    sessions: Table<SessionRow, 'user_id' | 'token_hash' | 'expires_at'>;
    oauth_accounts: Table<OAuthAccountRow, 'provider' | 'provider_user_id' | 'user_id'>;
  }
}
