import type { Knex } from 'knex';
import type { AnyFrameOf, TelemetryItem } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { ServerMetricsStore } from '../server-metrics/index.js';
import type { ServerPresence } from '../servers/index.js';
import type { AgentSession } from './agent-session.js';
import type { AgentHubPorts } from './frame-handlers.js';
import { isStorableItem } from './storable-item.js';

const IO = ['net_rx_bps', 'net_tx_bps', 'disk_read_bps', 'disk_write_bps'];
const HOST_METRICS = new Set(['host.cpu_percent', 'host.memory_used_mb', 'host.disk_used_gb', 'host.load_1', 'host.load_5', 'host.load_15', ...IO.map((n) => `host.${n}`)]);
/** Per-service samples an agent buffered while disconnected (`service_id` set, `deployment_id` label). */
const SERVICE_METRICS = new Set(['service.cpu_percent', 'service.memory_mb', ...IO.map((n) => `service.${n}`)]);

/**
 * An agent's `telemetry_batch`: host metrics go to the metrics store, every other kind to the sink
 * its module registered; the batch is acknowledged once all of it is stored, and a batch seen before
 * (its ack was lost) is acknowledged again without being stored twice.
 */
export class TelemetryIntake {
  constructor(
    private readonly db: Knex,
    private readonly metrics: ServerMetricsStore,
    private readonly logger: Logger,
    private readonly presence: ServerPresence,
    /** The hub's ports, read when a batch arrives (they are given after the modules they name exist). */
    private readonly sinks: () => AgentHubPorts['telemetry'],
  ) {}

  async take(session: AgentSession, frame: AnyFrameOf<'telemetry_batch'>) {
    const { seq, items } = frame.payload;
    // One transaction for the whole batch, with the server's row locked: a batch is stored entirely or
    // not at all (a crash or a failing sink half-way leaves nothing, and the agent sends it again), and
    // the same batch arriving twice at once (an old socket on a dying api node, the new one on another)
    // is stored by one of them only.
    const fresh = await this.db.transaction(async (trx) => {
      const acked = await this.presence.lockTelemetrySeq(trx, session.serverId);
      // A batch resent because its ack was lost is acknowledged again, not stored again.
      if (acked !== null && acked >= seq) return false;
      await this.store(session, seq, items, trx);
      await this.presence.ackTelemetrySeq(trx, session.serverId, seq);
      return true;
    });
    if (!fresh) this.logger.debug({ seq, server_id: session.serverId }, 'telemetry batch seen before; acknowledged again');
    session.send('telemetry_ack', { seq }, frame.id);
  }

  private async store(session: AgentSession, seq: number, items: readonly TelemetryItem[], trx: Knex.Transaction) {
    const byKind = new Map<TelemetryItem['kind'], TelemetryItem[]>();
    const hostSamples = new Map<string, Record<string, number>>();
    const serviceSamples = new Map<string, { ts: string; serviceId: string; deploymentId: string | null; m: Record<string, number> }>();
    const storable = items.filter(isStorableItem);
    if (storable.length < items.length) this.logger.warn({ server_id: session.serverId, dropped: items.length - storable.length }, 'dropped telemetry items the database cannot store');
    for (const item of storable) {
      if (item.kind === 'metric' && !item.service_id && HOST_METRICS.has(item.name)) {
        const sample = hostSamples.get(item.ts) ?? {};
        sample[item.name] = item.value;
        hostSamples.set(item.ts, sample);
        continue;
      }
      if (item.kind === 'metric' && item.service_id && SERVICE_METRICS.has(item.name)) {
        const key = `${item.ts}/${item.service_id}`;
        const sample = serviceSamples.get(key) ?? { ts: item.ts, serviceId: item.service_id, deploymentId: item.labels?.deployment_id ?? null, m: {} };
        sample.m[item.name] = item.value;
        serviceSamples.set(key, sample);
        continue;
      }
      const list = byKind.get(item.kind) ?? [];
      list.push(item);
      byKind.set(item.kind, list);
    }
    await this.metrics.insert(
      [...hostSamples].map(([ts, m]) => ({
        orgId: session.orgId,
        serverId: session.serverId,
        at: new Date(ts),
        cpuPercent: m['host.cpu_percent'] ?? 0,
        memoryUsedMb: m['host.memory_used_mb'] ?? 0,
        diskUsedGb: m['host.disk_used_gb'] ?? 0,
        load: [m['host.load_1'] ?? 0, m['host.load_5'] ?? 0, m['host.load_15'] ?? 0],
        io: { netRxBps: m['host.net_rx_bps'], netTxBps: m['host.net_tx_bps'], diskReadBps: m['host.disk_read_bps'], diskWriteBps: m['host.disk_write_bps'] },
      })),
      // The batch's id: if this transaction fails after ClickHouse took the samples (a sink below
      // throws, the commit fails), the agent resends the batch and ClickHouse keeps them once.
      { dedupToken: `agent:${session.serverId}:${seq}:host` },
    );
    await this.metrics.insertServiceSamples(
      [...serviceSamples.values()].map(({ ts, serviceId, deploymentId, m }) => ({
        orgId: session.orgId,
        serverId: session.serverId,
        serviceId,
        deploymentId,
        at: new Date(ts),
        cpuPercent: m['service.cpu_percent'] ?? 0,
        memoryMb: m['service.memory_mb'] ?? 0,
        io: { netRxBps: m['service.net_rx_bps'], netTxBps: m['service.net_tx_bps'], diskReadBps: m['service.disk_read_bps'], diskWriteBps: m['service.disk_write_bps'] },
      })),
      { dedupToken: `agent:${session.serverId}:${seq}:services` },
    );
    for (const [kind, list] of byKind) {
      const sink = this.sinks()[kind];
      if (sink) await sink(session.serverId, session.orgId, list, trx, { seq });
      else this.logger.debug({ kind, dropped: list.length }, 'no telemetry sink for this kind yet');
    }
  }
}
