import type { Knex } from 'knex';
import type { ServerStatus, StreamEvent } from '@syntra/shared';
import type { StreamPublisher } from '../stream/index.js';

export interface StatusChange {
  serverId: string;
  orgId: string;
  name: string;
  status: ServerStatus;
  previous: ServerStatus | null;
  reason: string;
}

/** Status history and the stream event for each change. Every transition goes through here. */
export class ServerStatusRecorder {
  constructor(
    private readonly db: Knex,
    private readonly stream: StreamPublisher,
  ) {}

  async record(changes: readonly StatusChange[]): Promise<void> {
    const real = changes.filter((c) => c.status !== c.previous);
    if (real.length === 0) return;
    await this.db('server_status_events').insert(
      real.map((c) => ({ server_id: c.serverId, status: c.status, previous_status: c.previous, reason: c.reason })),
    );
    const events: StreamEvent[] = real.map((c) =>
      this.stream.event('server.status', c.orgId, { server_id: c.serverId, name: c.name, status: c.status, previous_status: c.previous, reason: c.reason }),
    );
    await this.stream.publish(events);
  }

  /** Marks one server online (on hello) and records the change if it was not. */
  async markOnline(serverId: string, reason: string): Promise<void> {
    const rows = (
      await this.db.raw(
        `WITH prev AS (SELECT id, status FROM servers WHERE id = ? FOR UPDATE)
         UPDATE servers s SET status = 'online', last_heartbeat_at = now(), updated_at = now() FROM prev WHERE s.id = prev.id
         RETURNING s.id, s.org_id, s.name, prev.status AS previous`,
        [serverId],
      )
    ).rows as Array<{ id: string; org_id: string; name: string; previous: ServerStatus }>;
    await this.record(rows.map((r) => ({ serverId: r.id, orgId: r.org_id, name: r.name, status: 'online', previous: r.previous, reason })));
  }

  async markOffline(serverId: string, reason: string): Promise<void> {
    const rows = (
      await this.db.raw(
        `WITH prev AS (SELECT id, status FROM servers WHERE id = ? AND status <> 'offline' FOR UPDATE)
         UPDATE servers s SET status = 'offline', updated_at = now() FROM prev WHERE s.id = prev.id
         RETURNING s.id, s.org_id, s.name, prev.status AS previous`,
        [serverId],
      )
    ).rows as Array<{ id: string; org_id: string; name: string; previous: ServerStatus }>;
    await this.record(rows.map((r) => ({ serverId: r.id, orgId: r.org_id, name: r.name, status: 'offline', previous: r.previous, reason })));
  }

  /**
   * Servers with no frame for `silentSeconds` become offline. Safe on every node at once: the
   * UPDATE … RETURNING hands each server to exactly one of them.
   */
  async sweepSilent(silentSeconds: number): Promise<number> {
    const rows = (
      await this.db.raw(
        `WITH prev AS (
           SELECT id, status FROM servers
           WHERE status = 'online' AND (last_heartbeat_at IS NULL OR last_heartbeat_at < now() - make_interval(secs => ?))
           FOR UPDATE SKIP LOCKED)
         UPDATE servers s SET status = 'offline', updated_at = now() FROM prev WHERE s.id = prev.id
         RETURNING s.id, s.org_id, s.name, prev.status AS previous`,
        [silentSeconds],
      )
    ).rows as Array<{ id: string; org_id: string; name: string; previous: ServerStatus }>;
    await this.record(rows.map((r) => ({ serverId: r.id, orgId: r.org_id, name: r.name, status: 'offline', previous: r.previous, reason: 'heartbeats_missed' })));
    return rows.length;
  }
}
