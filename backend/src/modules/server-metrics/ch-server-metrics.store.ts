import type { ServerMetricPoint, ServerUsage } from '@syntra/shared';
import { type ClickHouse, selectRows } from '../../db/clickhouse/index.js';
import { chTime, fromChTime, type OtelGaugeRow, type TelemetryWriter, ZERO_UUID } from '../telemetry/index.js';
import type { HostSample, IoRates, ServerMetricsStore, ServiceSample } from './server-metrics.store.js';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** The host gauges an agent reports, with the sample field and unit each one carries. */
const HOST_GAUGES = [
  ['host.cpu_percent', (s: HostSample) => s.cpuPercent, '%'],
  ['host.memory_used_mb', (s: HostSample) => s.memoryUsedMb, 'MiBy'],
  ['host.disk_used_gb', (s: HostSample) => s.diskUsedGb, 'GiBy'],
  ['host.load_1', (s: HostSample) => s.load[0], '1'],
  ['host.load_5', (s: HostSample) => s.load[1], '1'],
  ['host.load_15', (s: HostSample) => s.load[2], '1'],
] as const;
const HOST_METRIC_NAMES = HOST_GAUGES.map(([name]) => name);

/** Throughput gauges (bytes/s since the agent's previous sample), for hosts and services alike. */
const IO_GAUGES = [
  ['net_rx_bps', (io: IoRates) => io.netRxBps],
  ['net_tx_bps', (io: IoRates) => io.netTxBps],
  ['disk_read_bps', (io: IoRates) => io.diskReadBps],
  ['disk_write_bps', (io: IoRates) => io.diskWriteBps],
] as const;

/** What the store needs to know of a service to label its samples (the services module answers). */
export interface MeteredService {
  id: string;
  name: string;
  org_id: string;
  project_id: string;
  server_id: string;
}

const SERVICE_CACHE_MS = 60_000;

// Host gauges have no service: ServiceId is the zero UUID, and the server is the ServerId column.
const HOST_ROWS = `OrgId = {org:UUID} AND ServiceId = toUUID('${ZERO_UUID}') AND MetricName IN {names:Array(String)}`;

/**
 * Server metrics on ClickHouse: each host sample is six `host.*` gauges in `otel_metrics_gauge`
 * (so the metrics explorer and Grafana see them like any other metric), kept `retentionDays`.
 */
export class ChServerMetricsStore implements ServerMetricsStore {
  private readonly serviceCache = new Map<string, { at: number; service: MeteredService | undefined }>();

  constructor(
    private readonly ch: ClickHouse,
    private readonly writer: TelemetryWriter,
    private readonly retentionDays: number,
    /** A service by id (any org); looked up at most once a minute per service. */
    private readonly serviceLookup: (serviceId: string) => Promise<MeteredService | undefined> = async () => undefined,
  ) {}

  private async service(serviceId: string): Promise<MeteredService | undefined> {
    const cached = this.serviceCache.get(serviceId);
    if (cached && Date.now() - cached.at < SERVICE_CACHE_MS) return cached.service;
    const service = await this.serviceLookup(serviceId);
    if (this.serviceCache.size > 10_000) this.serviceCache.clear();
    this.serviceCache.set(serviceId, { at: Date.now(), service });
    return service;
  }

  async insertServiceSamples(samples: readonly ServiceSample[], opts: { dedupToken?: string } = {}): Promise<void> {
    const rows: OtelGaugeRow[] = [];
    for (const s of samples) {
      const service = await this.service(s.serviceId);
      // An agent reports only the services placed on its own server.
      if (!service || service.server_id !== s.serverId || service.org_id !== s.orgId) continue;
      const TimeUnix = chTime(s.at);
      const base = {
        OrgId: s.orgId,
        ProjectId: service.project_id,
        ServiceId: service.id,
        DeploymentId: s.deploymentId ?? '',
        ServerId: s.serverId,
        ServiceName: service.name,
        RetentionDays: this.retentionDays,
        TimeUnix,
        StartTimeUnix: TimeUnix,
        ResourceAttributes: { 'service.name': service.name, 'syntra.service.id': service.id, 'host.id': s.serverId },
      };
      rows.push({ ...base, MetricName: 'service.cpu_percent', MetricUnit: '%', Value: s.cpuPercent });
      rows.push({ ...base, MetricName: 'service.memory_mb', MetricUnit: 'MiBy', Value: s.memoryMb });
      for (const [name, value] of IO_GAUGES) {
        const v = s.io ? value(s.io) : undefined;
        if (v !== undefined) rows.push({ ...base, MetricName: `service.${name}`, MetricUnit: 'By/s', Value: v });
      }
    }
    await this.writer.write('otel_metrics_gauge', rows, opts);
  }

  async insert(samples: readonly HostSample[], opts: { dedupToken?: string } = {}): Promise<void> {
    const rows: OtelGaugeRow[] = [];
    for (const s of samples) {
      const TimeUnix = chTime(s.at);
      for (const [MetricName, value, MetricUnit] of HOST_GAUGES) {
        rows.push({ OrgId: s.orgId, ServerId: s.serverId, RetentionDays: this.retentionDays, MetricName, MetricUnit, TimeUnix, StartTimeUnix: TimeUnix, Value: value(s), ResourceAttributes: { 'host.id': s.serverId } });
      }
      for (const [name, value] of IO_GAUGES) {
        const v = s.io ? value(s.io) : undefined;
        if (v !== undefined) rows.push({ OrgId: s.orgId, ServerId: s.serverId, RetentionDays: this.retentionDays, MetricName: `host.${name}`, MetricUnit: 'By/s', TimeUnix, StartTimeUnix: TimeUnix, Value: v, ResourceAttributes: { 'host.id': s.serverId } });
      }
    }
    await this.writer.write('otel_metrics_gauge', rows, opts);
  }

  async range(orgId: string, serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]> {
    const rows = await selectRows<{ bucket: number; cpu_percent: number | null; memory_used_mb: number | null; disk_used_gb: number | null; load_1: number | null }>(
      this.ch,
      `SELECT intDiv(toUnixTimestamp(TimeUnix), {step:UInt32}) * {step:UInt32} AS bucket,
              avgIf(Value, MetricName = 'host.cpu_percent') AS cpu_percent,
              avgIf(Value, MetricName = 'host.memory_used_mb') AS memory_used_mb,
              maxIf(Value, MetricName = 'host.disk_used_gb') AS disk_used_gb,
              avgIf(Value, MetricName = 'host.load_1') AS load_1
       FROM otel_metrics_gauge
       WHERE ${HOST_ROWS} AND ServerId = {server:UUID}
         AND TimeUnix >= fromUnixTimestamp64Milli({from:Int64}) AND TimeUnix < fromUnixTimestamp64Milli({to:Int64})
       GROUP BY bucket ORDER BY bucket`,
      { org: orgId, names: HOST_METRIC_NAMES, server: serverId, step: stepSeconds, from: from.getTime(), to: to.getTime() },
    );
    return rows.map((r) => ({
      ts: new Date(Number(r.bucket) * 1000).toISOString(),
      cpu_percent: round(num(r.cpu_percent)),
      memory_used_mb: round(num(r.memory_used_mb), 1),
      disk_used_gb: round(num(r.disk_used_gb)),
      load_1: round(num(r.load_1)),
    }));
  }

  async prune(before: Date): Promise<number> {
    const where = `ServiceId = toUUID('${ZERO_UUID}') AND MetricName IN {names:Array(String)} AND TimeUnix < fromUnixTimestamp64Milli({before:Int64})`;
    const params = { names: [...HOST_METRIC_NAMES, ...IO_GAUGES.map(([name]) => `host.${name}`)], before: before.getTime() };
    const [row] = await selectRows<{ n: string }>(this.ch, `SELECT count() AS n FROM otel_metrics_gauge WHERE ${where}`, params);
    const samples = Math.round(Number(row?.n ?? 0) / HOST_GAUGES.length);
    // A lightweight delete (rows masked now, removed at merges); the TTL does this on its own.
    if (samples > 0) await this.ch.client.command({ query: `DELETE FROM otel_metrics_gauge WHERE ${where}`, query_params: params });
    return samples;
  }

  async latest(orgId: string, serverIds: readonly string[]): Promise<Map<string, ServerUsage>> {
    const out = new Map<string, ServerUsage>();
    if (serverIds.length === 0) return out;
    const rows = await selectRows<{ server: string; name: string; value: number; at: string }>(
      this.ch,
      `SELECT ServerId AS server, MetricName AS name, argMax(Value, TimeUnix) AS value, max(TimeUnix) AS at
       FROM otel_metrics_gauge
       WHERE ${HOST_ROWS} AND ServerId IN {servers:Array(UUID)} AND TimeUnix >= now64(9) - toIntervalDay({days:UInt16})
       GROUP BY ServerId, MetricName`,
      { org: orgId, names: HOST_METRIC_NAMES, servers: serverIds, days: this.retentionDays },
    );
    const byServer = new Map<string, { at: string; values: Record<string, number> }>();
    for (const r of rows) {
      const entry = byServer.get(r.server) ?? { at: r.at, values: {} };
      entry.values[r.name] = Number(r.value);
      if (r.at > entry.at) entry.at = r.at;
      byServer.set(r.server, entry);
    }
    for (const [server, { at, values }] of byServer) {
      out.set(server, {
        at: fromChTime(at),
        cpu_percent: values['host.cpu_percent'] ?? 0,
        memory_used_mb: values['host.memory_used_mb'] ?? 0,
        disk_used_gb: values['host.disk_used_gb'] ?? 0,
        load_avg: [values['host.load_1'] ?? 0, values['host.load_5'] ?? 0, values['host.load_15'] ?? 0],
      });
    }
    return out;
  }
}
