import type { Knex } from 'knex';
import type { HostUsage, ServerStatus, StreamEvent } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { ServerMetricsStore } from '../server-metrics/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { ServerStatusRecorder } from './server-status.js';

interface Pending {
  orgId: string;
  at: Date;
  usage: HostUsage | null;
}

const CHUNK = 5000;

/**
 * Heartbeats (and any other frame, as a sign of life) are collected in memory and written every
 * flush: one multi-row UPDATE of `last_heartbeat_at`, one multi-row metrics insert and one stream
 * message per organisation — never a database write per heartbeat.
 */
export class HeartbeatBatcher {
  private pending = new Map<string, Pending>();
  private flushing: Promise<void> | null = null;
  flushedHeartbeats = 0;

  constructor(
    private readonly db: Knex,
    private readonly metrics: ServerMetricsStore,
    private readonly stream: StreamPublisher,
    private readonly status: ServerStatusRecorder,
    private readonly logger: Logger,
  ) {}

  touch(serverId: string, orgId: string, usage: HostUsage | null, at = new Date()) {
    const prev = this.pending.get(serverId);
    this.pending.set(serverId, { orgId, at, usage: usage ?? prev?.usage ?? null });
  }

  get size() {
    return this.pending.size;
  }

  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async doFlush() {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const entries = [...batch.entries()];
    try {
      for (let i = 0; i < entries.length; i += CHUNK) await this.writeLiveness(entries.slice(i, i + CHUNK));
      const withUsage = entries.filter(([, p]) => p.usage);
      await this.metrics.insert(
        withUsage.map(([serverId, p]) => ({
          serverId,
          at: p.at,
          cpuPercent: p.usage!.cpu_percent,
          memoryUsedMb: p.usage!.memory_used_mb,
          diskUsedGb: p.usage!.disk_used_gb,
          load: p.usage!.load_avg,
        })),
      );
      const events: StreamEvent[] = withUsage.map(([serverId, p]) =>
        this.stream.event('server.metrics', p.orgId, { server_id: serverId, usage: { at: p.at.toISOString(), ...p.usage! } }, p.at),
      );
      await this.stream.publish(events);
      this.flushedHeartbeats += entries.length;
    } catch (err) {
      this.logger.error({ err, servers: entries.length }, 'heartbeat flush failed');
    }
  }

  /** A server that was swept offline while its agent stayed connected comes back online here. */
  private async writeLiveness(entries: Array<[string, Pending]>) {
    const ids = entries.map(([id]) => id);
    const ats = entries.map(([, p]) => p.at.toISOString());
    const rows = (
      await this.db.raw(
        `WITH v(id, at) AS (SELECT * FROM unnest(?::uuid[], ?::timestamptz[])),
         prev AS (SELECT s.id, s.status FROM servers s JOIN v ON v.id = s.id),
         upd AS (
           UPDATE servers s SET last_heartbeat_at = GREATEST(s.last_heartbeat_at, v.at),
             status = CASE WHEN s.status = 'offline' THEN 'online'::server_status ELSE s.status END
           FROM v, prev WHERE s.id = v.id AND prev.id = s.id
           RETURNING s.id, s.org_id, s.name, s.status, prev.status AS previous)
         SELECT * FROM upd WHERE previous = 'offline'`,
        [ids, ats],
      )
    ).rows as Array<{ id: string; org_id: string; name: string; status: ServerStatus; previous: ServerStatus }>;
    const revived = rows.filter((r) => r.previous === 'offline' && r.status === 'online');
    if (revived.length) {
      await this.status.record(revived.map((r) => ({ serverId: r.id, orgId: r.org_id, name: r.name, status: 'online', previous: 'offline', reason: 'heartbeat' })));
    }
  }
}
