import type { TerminalSessionStatus } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The terminal module's table: one row per terminal session, its ticket and its outcome. */
export interface TerminalSessionRow {
  id: string;
  org_id: string;
  server_id: string | null;
  server_name: string;
  user_id: string | null;
  target: { kind: 'host' } | { kind: 'service'; service_id: string };
  cols: number;
  rows: number;
  status: TerminalSessionStatus;
  ticket_hash: string;
  prev_ticket_hash: string | null;
  prev_ticket_expires_at: Date | null;
  recorded: boolean;
  bytes_in: string | number;
  bytes_out: string | number;
  exit_code: number | null;
  exit_signal: string | null;
  ip: string | null;
  /** What opened the session (null on sessions older than the column). */
  credential_kind: 'session' | 'api_token' | null;
  credential_id: string | null;
  started_at: Date;
  ended_at: Date | null;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    terminal_sessions: Table<TerminalSessionRow, never, 'target'>;
  }
}
