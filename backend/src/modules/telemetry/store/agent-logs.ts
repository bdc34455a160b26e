import type { TelemetryItem } from '@syntra/shared';
import { chTime, type OtelLogRow } from './otel-rows.js';
import { parseLine } from './severity.js';
import type { TelemetryWriter } from './telemetry-writer.js';

type LogItem = Extract<TelemetryItem, { kind: 'log' }>;

/** What the log intake needs to know of a service (the services module answers it). */
export interface LoggedService {
  id: string;
  name: string;
  org_id: string;
  project_id: string;
  server_id: string;
}

export interface AgentLogIntakeDeps {
  writer: TelemetryWriter;
  /** A service by id, any org (the intake checks it belongs to the reporting agent's server and org). */
  service(serviceId: string): Promise<LoggedService | undefined>;
  retentionDays(orgId: string): number | Promise<number>;
}

/**
 * Deployed services' stdout/stderr, sent by agents as `log` items of a `telemetry_batch`, into
 * `otel_logs`: ServiceName is the service's name, the severity comes from the line (JSON `level`
 * / `severity`, or a level word), the deployment id is kept, the stream is `log.iostream`.
 */
export class AgentLogIntake {
  constructor(private readonly deps: AgentLogIntakeDeps) {}

  /**
   * Stores one batch's log items; resolves once ClickHouse has them. The batch id makes a resent
   * batch (its ack was lost) a no-op. Lines of services that are not this server's are dropped.
   */
  async store(serverId: string, orgId: string, items: readonly LogItem[], batch: { seq: number }): Promise<void> {
    const byService = new Map<string, LogItem[]>();
    for (const item of items) {
      const list = byService.get(item.service_id) ?? [];
      list.push(item);
      byService.set(item.service_id, list);
    }
    const rows: OtelLogRow[] = [];
    const retentionDays = await this.deps.retentionDays(orgId);
    for (const [serviceId, lines] of byService) {
      const service = await this.deps.service(serviceId);
      // An agent speaks only for the services placed on its server.
      if (!service || service.server_id !== serverId || service.org_id !== orgId) continue;
      let lastMs = Number.NaN;
      let sameMs = 0;
      for (const item of lines) {
        const ms = Date.parse(item.ts);
        // Lines stamped within the same millisecond keep their order: one nanosecond apart.
        sameMs = ms === lastMs ? sameMs + 1 : 0;
        lastMs = ms;
        const parsed = parseLine(item.line);
        rows.push({
          OrgId: orgId,
          ProjectId: service.project_id,
          ServiceId: service.id,
          DeploymentId: item.deployment_id ?? '',
          RetentionDays: retentionDays,
          Timestamp: chTime(BigInt(ms) * 1_000_000n + BigInt(sameMs)),
          TraceId: parsed.traceId,
          SpanId: parsed.spanId,
          SeverityText: parsed.severity?.text ?? '',
          SeverityNumber: parsed.severity?.number ?? 0,
          ServiceName: service.name,
          Body: item.line,
          ResourceAttributes: { 'service.name': service.name, 'syntra.service.id': service.id, 'host.id': serverId, ...(item.deployment_id ? { 'syntra.deployment.id': item.deployment_id } : {}) },
          ScopeName: 'syntra-agent',
          LogAttributes: { ...parsed.attributes, 'log.iostream': item.stream },
        });
      }
    }
    await this.deps.writer.write('otel_logs', rows, { dedupToken: `agent:${serverId}:${batch.seq}:logs` });
  }
}

