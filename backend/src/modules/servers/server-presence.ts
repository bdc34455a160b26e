import type { Knex } from 'knex';
import type { ServerStatus, StreamEvent } from '@syntra/shared';
import type { ServerRow } from './servers.tables.js';
import type { StreamPublisher } from '../stream/index.js';

/** What the hub needs of the server an agent token names. */
export type AgentServer = Pick<ServerRow, 'id' | 'org_id' | 'agent_token_hash'>;

export interface StatusChange {
  serverId: string;
  orgId: string;
  name: string;
  status: ServerStatus;
  previous: ServerStatus | null;
  reason: string;
}

/**
 * A server's presence as its agent shows it: online/offline (every transition goes through here,
 * with its status history and stream event), heartbeats, the agent's facts on hello, and the
 * telemetry sequence acknowledged. The servers module owns these columns; the agent hub calls this.
 */
export class ServerPresence {
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
    await this.announce(real);
  }

  /** The stream event of changes already stored. */
  private async announce(real: readonly StatusChange[]) {
    const events: StreamEvent[] = real.map((c) =>
      this.stream.event('server.status', c.orgId, { server_id: c.serverId, name: c.name, status: c.status, previous_status: c.previous, reason: c.reason }),
    );
    await this.stream.publish(events);
  }

  /**
   * On hello, one statement: checks the token is still the server's (it may have been rotated or
   * the server deleted while the hello was in flight), stores the agent's facts, marks it online.
   * Returns null when the token no longer matches.
   */
  async markConnected(serverId: string, tokenHash: string, facts: Record<string, string | number | null>, reason: string) {
    const cols = Object.keys(facts);
    // One statement and one commit: hellos come in storms after a control-plane restart.
    const rows = (
      await this.db.raw(
        `WITH upd AS (
           UPDATE servers s SET status = 'online', last_heartbeat_at = now(), updated_at = now(), ${cols.map(() => '?? = ?').join(', ')}
           FROM servers old WHERE old.id = s.id AND s.id = ? AND s.agent_token_hash = ?
           RETURNING s.id, s.org_id, s.name, s.telemetry_acked_seq, old.status AS previous),
         ev AS (
           INSERT INTO server_status_events (server_id, status, previous_status, reason)
           SELECT id, 'online', previous, ? FROM upd WHERE previous <> 'online')
         SELECT * FROM upd`,
        [...cols.flatMap((c) => [c, facts[c] ?? null]), serverId, tokenHash, reason],
      )
    ).rows as Array<{ id: string; org_id: string; name: string; telemetry_acked_seq: number; previous: ServerStatus }>;
    const row = rows[0];
    if (!row) return null;
    if (row.previous !== 'online') await this.announce([{ serverId: row.id, orgId: row.org_id, name: row.name, status: 'online', previous: row.previous, reason }]);
    return { telemetryAckedSeq: Number(row.telemetry_acked_seq), name: row.name };
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

  /** The server an agent token belongs to (the hub's upgrade); undefined for no server. */
  byAgentTokenHash(tokenHash: string): Promise<AgentServer | undefined> {
    return this.db('servers').select('id', 'org_id', 'agent_token_hash').where({ agent_token_hash: tokenHash }).first();
  }

  /**
   * Heartbeats collected by the hub, in one statement: `last_heartbeat_at` moves forward, and a server
   * that was swept offline while its agent stayed connected comes back online — by a heartbeat
   * received after it went offline (`updated_at` is when), not by one that waited in the hub's batch
   * meanwhile: an agent's last heartbeat, flushed just after its graceful shutdown marked the server
   * offline, revived it (and resolved its "server offline" alert) while no agent was there.
   */
  async writeHeartbeats(entries: ReadonlyArray<{ serverId: string; at: Date }>): Promise<void> {
    const rows = (
      await this.db.raw(
        `WITH v(id, at) AS (SELECT * FROM unnest(?::uuid[], ?::timestamptz[])),
         prev AS (SELECT s.id, s.status FROM servers s JOIN v ON v.id = s.id),
         upd AS (
           UPDATE servers s SET last_heartbeat_at = GREATEST(s.last_heartbeat_at, v.at),
             status = CASE WHEN s.status = 'offline' AND v.at > s.updated_at THEN 'online'::server_status ELSE s.status END
           FROM v, prev WHERE s.id = v.id AND prev.id = s.id
           RETURNING s.id, s.org_id, s.name, s.status, prev.status AS previous)
         SELECT * FROM upd WHERE previous = 'offline'`,
        [entries.map((e) => e.serverId), entries.map((e) => e.at.toISOString())],
      )
    ).rows as Array<{ id: string; org_id: string; name: string; status: ServerStatus; previous: ServerStatus }>;
    const revived = rows.filter((r) => r.previous === 'offline' && r.status === 'online');
    if (revived.length) {
      await this.record(revived.map((r) => ({ serverId: r.id, orgId: r.org_id, name: r.name, status: 'online', previous: 'offline', reason: 'heartbeat' })));
    }
  }

  /** Serialises the server's telemetry batches in `trx` (one at a time) and returns the last acknowledged sequence. */
  async lockTelemetrySeq(trx: Knex.Transaction, serverId: string): Promise<number | null> {
    // An advisory lock, not the server row's: a batch's stores take a while (ClickHouse inserts),
    // and the row is what every heartbeat flush updates. The row is locked only by the final ack.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`telemetry:${serverId}`]);
    const row = await trx('servers').select('telemetry_acked_seq').where({ id: serverId }).first();
    return row ? Number(row.telemetry_acked_seq) : null;
  }

  async ackTelemetrySeq(trx: Knex.Transaction, serverId: string, seq: number): Promise<void> {
    await trx('servers').where({ id: serverId }).update({ telemetry_acked_seq: trx.raw('GREATEST(telemetry_acked_seq, ?)', [seq]) });
  }
}
