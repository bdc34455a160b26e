import type { Knex } from 'knex';
import type { ServerMetricPoint, ServerUsage } from '@syntra/shared';
import type { HostSample, ServerMetricsStore } from './server-metrics.store.js';

const CHUNK = 5000;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export class PgServerMetricsStore implements ServerMetricsStore {
  constructor(private readonly db: Knex) {}

  async insert(samples: readonly HostSample[], trx?: Knex.Transaction): Promise<void> {
    const db = trx ?? this.db;
    // One statement with one array per column: cheap to build and to send however many rows.
    for (let i = 0; i < samples.length; i += CHUNK) {
      const chunk = samples.slice(i, i + CHUNK);
      const col = <T>(f: (s: HostSample) => T) => chunk.map(f);
      await db.raw(
        `INSERT INTO server_metrics (server_id, ts, cpu_percent, memory_used_mb, disk_used_gb, load_1, load_5, load_15)
         SELECT * FROM unnest(?::uuid[], ?::timestamptz[], ?::real[], ?::real[], ?::real[], ?::real[], ?::real[], ?::real[])
         ON CONFLICT (server_id, ts) DO NOTHING`,
        [
          col((s) => s.serverId),
          col((s) => s.at.toISOString()),
          col((s) => s.cpuPercent),
          col((s) => s.memoryUsedMb),
          col((s) => s.diskUsedGb),
          col((s) => s.load[0]),
          col((s) => s.load[1]),
          col((s) => s.load[2]),
        ],
      );
    }
  }

  async range(serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]> {
    const rows = (await this.db('server_metrics')
      .select(
        this.db.raw('to_timestamp(floor(extract(epoch from ts) / ?) * ?) as bucket', [stepSeconds, stepSeconds]),
        this.db.raw('avg(cpu_percent) as cpu_percent'),
        this.db.raw('avg(memory_used_mb) as memory_used_mb'),
        this.db.raw('max(disk_used_gb) as disk_used_gb'),
        this.db.raw('avg(load_1) as load_1'),
      )
      .where('server_id', serverId)
      .where('ts', '>=', from)
      .where('ts', '<', to)
      .groupBy('bucket')
      .orderBy('bucket')) as Array<{ bucket: Date; cpu_percent: number; memory_used_mb: number; disk_used_gb: number; load_1: number }>;
    return rows.map((r) => ({
      ts: new Date(r.bucket).toISOString(),
      cpu_percent: round(Number(r.cpu_percent)),
      memory_used_mb: round(Number(r.memory_used_mb), 1),
      disk_used_gb: round(Number(r.disk_used_gb)),
      load_1: round(Number(r.load_1)),
    }));
  }

  async prune(before: Date): Promise<number> {
    return this.db('server_metrics').where('ts', '<', before).delete();
  }

  async latest(serverIds: readonly string[]): Promise<Map<string, ServerUsage>> {
    const out = new Map<string, ServerUsage>();
    if (serverIds.length === 0) return out;
    const rows = await this.db('server_metrics')
      .distinctOn('server_id')
      .select('*')
      .whereIn('server_id', serverIds)
      .orderBy([{ column: 'server_id' }, { column: 'ts', order: 'desc' }]);
    for (const r of rows as Array<Record<string, number | Date | string>>) {
      out.set(String(r.server_id), {
        at: new Date(r.ts as Date).toISOString(),
        cpu_percent: Number(r.cpu_percent),
        memory_used_mb: Number(r.memory_used_mb),
        disk_used_gb: Number(r.disk_used_gb),
        load_avg: [Number(r.load_1), Number(r.load_5), Number(r.load_15)],
      });
    }
    return out;
  }
}
