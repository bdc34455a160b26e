import type { CommandStatus, PendingCommand } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The agent hub's table: commands queued for an agent and their answers. */
export interface CommandRow {
  id: string;
  server_id: string;
  type: PendingCommand['type'];
  name: string | null;
  payload: Record<string, unknown>;
  status: CommandStatus;
  delivery_count: number;
  ok: boolean | null;
  data: unknown;
  error: { code: string; message: string } | null;
  created_by: string | null;
  created_at: Date;
  delivered_at: Date | null;
  answered_at: Date | null;
  expires_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    agent_commands: Table<CommandRow, never, 'payload' | 'data' | 'error'>;
  }
}
