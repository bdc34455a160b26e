import type { DeploymentVerification, ServerMetricPoint, Timeline, TimelineSeries } from '@syntra/shared';
import type { AlertService } from './alerts.service.js';

type Entry = Timeline['entries'][number];

/** What the timeline reads from the modules that own the facts (given at construction: wiring.ts). */
export interface TimelinePorts {
  assertService(orgId: string, serviceId: string): Promise<void>;
  deployments(orgId: string, serviceId: string): Promise<Array<{ id: string; status: string; created_at: string | null; finished_at: string | null; error_message: string | null; git_commit_sha: string | null; verification?: DeploymentVerification | null }>>;
  healthFailures(serviceId: string, from: Date, to: Date): Promise<Array<{ id: string; checked_at: string | null; status_code: number | null; error: string | null }>>;
  serverStatus(orgId: string, serverId: string): Promise<Array<{ status: string; previous_status: string | null; reason: string | null; at: string | null }>>;
  /** The service's issues that appeared (first event) or regressed in the window (error tracking). */
  issues(orgId: string, serviceId: string, from: Date, to: Date): Promise<Array<{ id: string; title: string; culprit: string | null; level: string; status: string; first_seen_at: string; regressed_at: string | null; event_count: number }>>;
  /** The service's error events per bucket: `[bucket start ms, events]`. */
  errorEvents(orgId: string, serviceId: string, from: Date, to: Date, stepSeconds: number): Promise<Array<[number, number]>>;
  /** RED points of the service's entry spans: `[ms, req/s, err/s, p50, p95, p99]`. */
  spans(orgId: string, serviceId: string, from: Date, to: Date, stepSeconds: number): Promise<Array<[number, number, number, number, number, number]>>;
  /** The server's host samples per bucket (its agent's metrics in ClickHouse). */
  hostMetrics(orgId: string, serverId: string, from: Date, to: Date, stepSeconds: number): Promise<ServerMetricPoint[]>;
}

const DAY_MS = 86_400_000;
/** Buckets per chart at most: a minute each up to a day, wider for longer windows. */
const MAX_BUCKETS = 1440;

function window(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  // `to` is exclusive: by default include what happened this very second.
  const to = q.to ? new Date(q.to) : new Date(now.getTime() + 1000);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
  return { from, to };
}

/** Whole minutes, at least one, so "per minute" means what it says at every zoom. */
function stepFor(from: Date, to: Date): number {
  return Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000 / MAX_BUCKETS / 60)) * 60;
}

const inside = (at: string | null, from: Date, to: Date) => at !== null && Date.parse(at) >= from.getTime() && Date.parse(at) < to.getTime();
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The incident timeline (issue 14): one time axis per service or server: deploys, alert events,
 * new and regressed issues, failed health checks, offline/online, with the series behind them (a
 * service's error events per minute and p95 latency; a server's CPU and memory). The page a
 * notification opens.
 */
export class TimelineService {
  constructor(
    private readonly alerts: AlertService,
    private readonly ports: TimelinePorts,
    /** Alerting's clock, so the default window and the events' times agree. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  async forService(orgId: string, serviceId: string, q: { from?: string | undefined; to?: string | undefined }): Promise<Timeline> {
    await this.ports.assertService(orgId, serviceId);
    const { from, to } = window(q, this.now());
    const step = stepFor(from, to);
    const [deployments, failures, issues, alerts, errorEvents, spans] = await Promise.all([
      this.ports.deployments(orgId, serviceId),
      this.ports.healthFailures(serviceId, from, to),
      this.ports.issues(orgId, serviceId, from, to),
      this.alertEntries(orgId, { serviceId }, from, to),
      this.ports.errorEvents(orgId, serviceId, from, to, step),
      this.ports.spans(orgId, serviceId, from, to, step),
    ]);
    const entries: Entry[] = [];
    for (const d of deployments) {
      const at = d.finished_at ?? d.created_at;
      if (!inside(at, from, to)) continue;
      entries.push({
        at: at!,
        kind: 'deploy',
        title: `Deploy ${d.git_commit_sha ? d.git_commit_sha.slice(0, 7) : d.id.slice(0, 8)} ${d.status}`,
        severity: d.status === 'failed' ? 'critical' : d.status === 'running' ? 'ok' : 'info',
        ref: { type: 'deployment', id: d.id },
        // Post-deploy verification (its status, reasons, values and an automatic rollback) travels with the deploy.
        detail: { status: d.status, error_message: d.error_message, verification: d.verification ?? null },
      });
    }
    for (const h of failures) {
      entries.push({ at: h.checked_at!, kind: 'health_failed', title: `Health check failed${h.status_code ? ` (HTTP ${h.status_code})` : ''}`, severity: 'warning', ref: null, detail: { error: h.error, status_code: h.status_code } });
    }
    for (const i of issues) {
      const detail = { level: i.level, culprit: i.culprit, status: i.status, event_count: i.event_count };
      const severity = i.level === 'fatal' || i.level === 'error' ? 'critical' : i.level === 'warning' ? 'warning' : 'info';
      if (inside(i.first_seen_at, from, to)) entries.push({ at: i.first_seen_at, kind: 'issue', title: `New issue: ${i.title}`, severity, ref: { type: 'issue', id: i.id }, detail: { ...detail, change: 'new' } });
      if (inside(i.regressed_at, from, to)) entries.push({ at: i.regressed_at!, kind: 'issue', title: `Regressed: ${i.title}`, severity, ref: { type: 'issue', id: i.id }, detail: { ...detail, change: 'regressed' } });
    }
    entries.push(...alerts);
    const perMinute = step / 60;
    const series: TimelineSeries[] = [
      { key: 'error_events', label: 'Error events', unit: '/min', step_seconds: step, points: errorEvents.map(([t, n]) => [t, round(n / perMinute)]) },
      { key: 'latency_p95_ms', label: 'p95 latency', unit: 'ms', step_seconds: step, points: spans.map((p) => [p[0], round(p[4], 1)]) },
    ];
    return this.answer(from, to, entries, series);
  }

  async forServer(orgId: string, serverId: string, q: { from?: string | undefined; to?: string | undefined }): Promise<Timeline> {
    const { from, to } = window(q, this.now());
    const step = stepFor(from, to);
    // The status history answers 404 for another organisation's server, before anything else is read.
    const statuses = await this.ports.serverStatus(orgId, serverId);
    const [alerts, host] = await Promise.all([this.alertEntries(orgId, { serverId }, from, to), this.ports.hostMetrics(orgId, serverId, from, to, step)]);
    const entries: Entry[] = [];
    for (const s of statuses) {
      if (!inside(s.at, from, to)) continue;
      entries.push({ at: s.at!, kind: 'server_status', title: `Server ${s.status}`, severity: s.status === 'offline' || s.status === 'error' ? 'critical' : s.status === 'online' ? 'ok' : 'info', ref: null, detail: { previous_status: s.previous_status, reason: s.reason } });
    }
    entries.push(...alerts);
    const at = (p: ServerMetricPoint) => Date.parse(p.ts);
    const series: TimelineSeries[] = [
      { key: 'cpu_percent', label: 'CPU', unit: '%', step_seconds: step, points: host.map((p) => [at(p), p.cpu_percent]) },
      { key: 'memory_used_mb', label: 'Memory used', unit: 'MiB', step_seconds: step, points: host.map((p) => [at(p), p.memory_used_mb]) },
    ];
    return this.answer(from, to, entries, series);
  }

  private async alertEntries(orgId: string, where: { serviceId?: string; serverId?: string }, from: Date, to: Date): Promise<Entry[]> {
    const { items } = await this.alerts.listEvents(orgId, { limit: 200, from: from.toISOString(), to: to.toISOString() }, where);
    return items.map((e) => ({
      at: e.started_at!,
      kind: 'alert' as const,
      title: `${e.rule_name}: ${e.status}`,
      severity: e.status === 'resolved' ? ('ok' as const) : e.severity,
      ref: { type: 'alert_event', id: e.id },
      detail: { summary: e.summary, resolved_at: e.resolved_at, acknowledged_by: e.acknowledged_by },
    }));
  }

  private answer(from: Date, to: Date, entries: Entry[], series: TimelineSeries[]): Timeline {
    entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    return { from: from.toISOString(), to: to.toISOString(), entries: entries.slice(0, 1000), series };
  }
}
