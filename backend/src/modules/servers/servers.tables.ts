import type { ServerStatus } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The servers module's tables: managed machines and their status history. */

export interface ServerRow {
  id: string;
  org_id: string;
  name: string;
  hostname: string | null;
  public_ip: string | null;
  private_ip: string | null;
  runtime: string;
  runtime_version: string | null;
  status: ServerStatus;
  agent_version: string | null;
  agent_token_hash: string;
  os_name: string | null;
  os_version: string | null;
  arch: string | null;
  cpu_cores: number | null;
  memory_mb: number | null;
  disk_gb: number | null;
  last_heartbeat_at: Date | null;
  /** text[] */
  tags: string[];
  agent_id: string | null;
  telemetry_acked_seq: number;
  is_local: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface ServerStatusEventRow {
  id: number;
  server_id: string;
  status: ServerStatus;
  previous_status: ServerStatus | null;
  reason: string;
  at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    servers: Table<ServerRow, 'org_id' | 'name' | 'agent_token_hash'>;
    server_status_events: Table<ServerStatusEventRow, 'server_id' | 'status' | 'reason'>;
  }
}
