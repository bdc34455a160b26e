import type { Knex } from 'knex';
import type { PageQuery, ServerStatus } from '@syntra/shared';
import { ServerModel } from '../../db/models/index.js';
import { applyKeyset } from '../../lib/pagination.js';

export class ServersRepo {
  constructor(private readonly db: Knex) {}

  list(orgId: string, page: PageQuery & { status?: ServerStatus | undefined }) {
    const query = ServerModel.query(this.db).where('servers.org_id', orgId);
    if (page.status) void query.where('servers.status', page.status);
    return applyKeyset(query, page.cursor, 'servers.created_at', 'servers.id', page.limit);
  }

  find(orgId: string, id: string) {
    return ServerModel.query(this.db).where({ org_id: orgId, id }).first();
  }

  async orgIdOf(id: string): Promise<string | null> {
    const row = await ServerModel.query(this.db).select('org_id').findById(id);
    return row?.org_id ?? null;
  }

  insert(row: { org_id: string; name: string; tags: string[]; agent_token_hash: string; is_local?: boolean }) {
    return ServerModel.query(this.db).insert({ ...row, runtime: 'process', status: 'offline' }).returning('*');
  }

  update(id: string, patch: Partial<Pick<ServerModel, 'name' | 'tags' | 'agent_token_hash'>>) {
    return ServerModel.query(this.db).patchAndFetchById(id, { ...patch, updated_at: new Date() });
  }

  delete(id: string) {
    return ServerModel.query(this.db).deleteById(id);
  }

  async statusOf(id: string): Promise<string | null> {
    const row = await ServerModel.query(this.db).select('status').findById(id);
    return row?.status ?? null;
  }

  byTokenHash(hash: string) {
    return ServerModel.query(this.db).where({ agent_token_hash: hash }).first();
  }

  /** Newest first; the cursor is the last event's id (a bigserial, so ordering by it is stable). */
  async statusEvents(serverId: string, page: PageQuery) {
    // The route's SerialCursorSchema has checked the cursor is an int8; compared as text, not as a lossy JS number.
    const q = this.db('server_status_events').where({ server_id: serverId }).orderBy('id', 'desc').limit(page.limit + 1);
    if (page.cursor) void q.where('id', '<', page.cursor);
    return (await q) as Array<{ id: number; status: ServerStatus; previous_status: ServerStatus | null; reason: string; at: Date }>;
  }
}
