import type { HealthQuery, TelemetryItem } from '@syntra/shared';
import type { Knex } from 'knex';
import { iso } from '../../lib/iso.js';
import { decodeCursor, pageResult } from '../../lib/pagination.js';
import type { ServiceService } from '../services/index.js';
import { type HealthCheckRow, HealthRepo, type NewHealthCheck } from './health.repo.js';

/** Results older than this are pruned: enough to look back at an incident, bounded for busy services. */
export const HEALTH_RETENTION_DAYS = 14;

type HealthItem = Extract<TelemetryItem, { kind: 'health_check' }>;

function toDto(r: HealthCheckRow) {
  return { id: r.id, checked_at: iso(r.checked_at), healthy: r.is_healthy, status_code: r.status_code, response_time_ms: r.response_time_ms, error: r.error_message };
}

/**
 * Health-check results of services, as their agents report them (telemetry items `health_check`):
 * the probes of each deploy's health gate and the periodic checks of the running version.
 */
export class HealthService {
  private readonly repo: HealthRepo;

  constructor(
    db: Knex,
    private readonly services: ServiceService,
  ) {
    this.repo = new HealthRepo(db);
  }

  /**
   * Telemetry sink: durable once it resolves (the agent's batch is then acknowledged). Only results of
   * services placed on `serverId` are stored (a stale or foreign id is dropped); returns what was stored.
   */
  async record(serverId: string, items: readonly HealthItem[], trx?: Knex.Transaction): Promise<NewHealthCheck[]> {
    if (!items.length) return [];
    const owned = await this.services.placedOn(serverId, [...new Set(items.map((i) => i.service_id))], trx);
    const stored = items
      .filter((i) => owned.has(i.service_id))
      .map((i) => ({
        serviceId: i.service_id,
        checkedAt: new Date(i.ts),
        healthy: i.healthy,
        statusCode: i.status_code ?? null,
        responseMs: Math.round(i.response_ms ?? 0),
        error: i.error ? i.error.slice(0, 2000) : null,
      }));
    await this.repo.insert(stored, trx);
    return stored;
  }

  /** The newest stored result of each service, as consoles get it live (`service.health`). */
  static latestPerService(stored: readonly NewHealthCheck[]) {
    const latest = new Map<string, NewHealthCheck>();
    for (const c of stored) {
      const seen = latest.get(c.serviceId);
      if (!seen || c.checkedAt >= seen.checkedAt) latest.set(c.serviceId, c);
    }
    return [...latest.values()].map((c) => ({
      service_id: c.serviceId,
      healthy: c.healthy,
      checked_at: c.checkedAt.toISOString(),
      status_code: c.statusCode,
      response_time_ms: c.responseMs,
      error: c.error,
    }));
  }

  /** Newest first. */
  async list(orgId: string, serviceId: string, query: HealthQuery) {
    await this.services.context(orgId, serviceId);
    const rows = await this.repo.listByService(serviceId, query.limit, { cursor: query.cursor ? decodeCursor(query.cursor, 'serial') : undefined, healthy: query.healthy });
    return pageResult(rows, query.limit, (r) => ({ at: r.checked_at, id: r.id }), toDto);
  }

  /** For alert rules (issue 14): whether each of the newest `n` results was healthy, newest first. */
  recentResults(serviceId: string, n: number) {
    return this.repo.recent(serviceId, n);
  }

  /** For alert rules: results and healthy results in [from, to). */
  resultCounts(serviceId: string, from: Date, to: Date) {
    return this.repo.counts(serviceId, from, to);
  }

  /** For the incident timeline: failed checks in [from, to), newest first. */
  async failures(serviceId: string, from: Date, to: Date, limit = 500) {
    return (await this.repo.failuresBetween(serviceId, from, to, limit)).map(toDto);
  }

  prune(now = new Date()) {
    return this.repo.pruneOlderThan(new Date(now.getTime() - HEALTH_RETENTION_DAYS * 86_400_000));
  }
}
