import type { Knex } from 'knex';
import type { PageQuery, ServerStatus } from '@syntra/shared';
import { applyKeyset } from '../../lib/pagination.js';
import type { ServerRow, ServerStatusEventRow } from './servers.tables.js';

export class ServersRepo {
  constructor(private readonly db: Knex) {}

  list(orgId: string, page: PageQuery & { status?: ServerStatus | undefined }): Promise<ServerRow[]> {
    const query = this.db('servers').where('servers.org_id', orgId);
    if (page.status) void query.where('servers.status', page.status);
    return applyKeyset(query, page.cursor, 'servers.created_at', 'servers.id', page.limit);
  }

  find(orgId: string, id: string): Promise<ServerRow | undefined> {
    return this.db('servers').where({ org_id: orgId, id }).first();
  }

  async orgIdOf(id: string): Promise<string | null> {
    const row = await this.db('servers').where({ id }).first('org_id');
    return row?.org_id ?? null;
  }

  async insert(row: { org_id: string; name: string; tags: string[]; agent_token_hash: string; is_local?: boolean }): Promise<ServerRow> {
    const [created] = await this.db('servers').insert({ ...row, runtime: 'process', status: 'offline' }).returning('*');
    return created!;
  }

  async update(id: string, patch: Partial<Pick<ServerRow, 'name' | 'tags' | 'agent_token_hash'>>): Promise<ServerRow | undefined> {
    const [row] = await this.db('servers').where({ id }).update({ ...patch, updated_at: new Date() }).returning('*');
    return row;
  }

  delete(id: string): Promise<number> {
    return this.db('servers').where({ id }).delete();
  }

  async statusOf(id: string): Promise<ServerStatus | null> {
    const row = await this.db('servers').where({ id }).first('status');
    return row?.status ?? null;
  }

  byTokenHash(hash: string): Promise<ServerRow | undefined> {
    return this.db('servers').where({ agent_token_hash: hash }).first();
  }

  /** Newest first; the cursor is the last event's id (a bigserial, so ordering by it is stable). */
  async statusEvents(serverId: string, page: PageQuery): Promise<ServerStatusEventRow[]> {
    // The route's SerialCursorSchema has checked the cursor is an int8; compared as text, not as a lossy JS number.
    const q = this.db('server_status_events').where({ server_id: serverId }).orderBy('id', 'desc').limit(page.limit + 1);
    if (page.cursor) void q.where('id', '<', page.cursor);
    return q;
  }

  /** The organisation's servers (all, or these ids) with the totals agents reported: alert rules over host metrics. */
  hosts(orgId: string, ids?: readonly string[]): Promise<Array<Pick<ServerRow, 'id' | 'name' | 'memory_mb' | 'disk_gb'>>> {
    const q = this.db('servers').where({ org_id: orgId });
    if (ids) void q.whereIn('id', ids as string[]);
    return q.select('id', 'name', 'memory_mb', 'disk_gb').orderBy('id').limit(10_000);
  }

  /** Status changes of the organisation's servers at or after `since`, newest first (alerting's catch-up). */
  statusEventsSince(orgId: string, since: Date, limit: number): Promise<Array<ServerStatusEventRow & { name: string }>> {
    return this.db('server_status_events')
      .join('servers', 'servers.id', 'server_status_events.server_id')
      .where('servers.org_id', orgId)
      .where('server_status_events.at', '>=', since)
      .orderBy('server_status_events.id', 'desc')
      .limit(limit)
      .select('server_status_events.*', 'servers.name');
  }
}
