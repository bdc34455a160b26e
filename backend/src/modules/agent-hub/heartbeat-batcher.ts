import type { HostUsage, ServiceUsage, StreamEvent } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { ServerMetricsStore } from '../server-metrics/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { ServerPresence } from '../servers/index.js';

interface Pending {
  orgId: string;
  at: Date;
  usage: HostUsage | null;
  services: readonly ServiceUsage[];
}

const CHUNK = 5000;

/** The agent's throughput figures (absent from older agents) as the metrics store names them. */
export function ioRates(u: { net_rx_bps?: number | undefined; net_tx_bps?: number | undefined; disk_read_bps?: number | undefined; disk_write_bps?: number | undefined }) {
  return { netRxBps: u.net_rx_bps, netTxBps: u.net_tx_bps, diskReadBps: u.disk_read_bps, diskWriteBps: u.disk_write_bps };
}

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

  touch(serverId: string, orgId: string, usage: HostUsage | null, at = new Date(), services: readonly ServiceUsage[] = []) {
    const prev = this.pending.get(serverId);
    this.pending.set(serverId, { orgId, at, usage: usage ?? prev?.usage ?? null, services: usage ? services : (prev?.services ?? []) });
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
      // Samples go to ClickHouse without holding up the next flush: presence (heartbeats, the
      // offline sweep) must not wait on the telemetry store's batching or lag. The writer bounds
      // what it holds and counts what it refuses.
      void this.storeSamples(withUsage);
      const events: StreamEvent[] = withUsage.map(([serverId, p]) => {
        const u = p.usage!;
        const usage = { at: p.at.toISOString(), cpu_percent: u.cpu_percent, memory_used_mb: u.memory_used_mb, disk_used_gb: u.disk_used_gb, load_avg: u.load_avg };
        return this.stream.event('server.metrics', p.orgId, { server_id: serverId, usage }, p.at);
      });
      await this.stream.publish(events);
      this.flushedHeartbeats += entries.length;
    } catch (err) {
      this.logger.error({ err, servers: entries.length }, 'heartbeat flush failed');
    }
  }

  /** Host and service samples of one flush into the metrics store (ClickHouse). */
  private async storeSamples(withUsage: Array<[string, Pending]>) {
    try {
      await this.metrics.insert(
        withUsage.map(([serverId, p]) => ({
          orgId: p.orgId,
          serverId,
          at: p.at,
          cpuPercent: p.usage!.cpu_percent,
          memoryUsedMb: p.usage!.memory_used_mb,
          diskUsedGb: p.usage!.disk_used_gb,
          load: p.usage!.load_avg,
          io: ioRates(p.usage!),
        })),
      );
      await this.metrics.insertServiceSamples(
        withUsage.flatMap(([serverId, p]) =>
          p.services.map((s) => ({ orgId: p.orgId, serverId, serviceId: s.service_id, deploymentId: s.deployment_id, at: p.at, cpuPercent: s.cpu_percent, memoryMb: s.memory_mb, io: ioRates(s) })),
        ),
      );
    } catch (err) {
      this.logger.warn({ err, servers: withUsage.length }, 'host samples not stored');
    }
  }
}
