import type { TokenScope } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The tokens module's table: personal API tokens (only their hash is stored). */
export interface ApiTokenRow {
  id: string;
  user_id: string;
  org_id: string | null;
  name: string;
  token_hash: string;
  token_prefix: string;
  /** text[]; may hold a scope this version no longer knows (readers filter). */
  scopes: TokenScope[];
  last_used_at: Date | null;
  expires_at: Date | null;
  /** The token that minted this one (revoking it revokes this); null when minted by a session. */
  parent_id: string | null;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    api_tokens: Table<ApiTokenRow, 'user_id' | 'name' | 'token_hash' | 'token_prefix'>;
  }
}
