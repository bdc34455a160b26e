import type { HostUsage, StreamEvent } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { ServerMetricsStore } from '../server-metrics/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { ServerPresence } from '../servers/index.js';

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
    private readonly metrics: ServerMetricsStore,
    private readonly stream: StreamPublisher,
    private readonly presence: ServerPresence,
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
      for (let i = 0; i < entries.length; i += CHUNK) await this.presence.writeHeartbeats(entries.slice(i, i + CHUNK).map(([serverId, p]) => ({ serverId, at: p.at })));
      const withUsage = entries.filter(([, p]) => p.usage);
      await this.metrics.insert(
        withUsage.map(([serverId, p]) => ({
          orgId: p.orgId,
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
}
