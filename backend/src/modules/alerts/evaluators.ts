import type { AlertCondition } from '@syntra/shared';
import type { Observation } from './alert-engine.js';
import type { AlertRuleRow } from './alerts.tables.js';
import type { AlertDataPorts, WatchedHost } from './ports.js';

/** Kinds evaluated on a schedule over stored data (the others fire from events; see event-listener.ts). */
export const WINDOWED_KINDS = ['metric_threshold', 'log_match', 'error_rate', 'health_failing'] as const;

const compare = (op: string, value: number, threshold: number) => (op === '>' ? value > threshold : op === '>=' ? value >= threshold : op === '<' ? value < threshold : value <= threshold);

/** health_failing for one service: N failed in a row, or uptime under X% in the window. */
export async function healthObservation(rule: AlertRuleRow, ports: AlertDataPorts, service: { id: string; project_id: string; server_id: string; name: string }, now: Date): Promise<Observation> {
  const c = rule.condition as AlertCondition<'health_failing'>;
  const values: Record<string, unknown> = {};
  let active = false;
  const reasons: string[] = [];
  if (c.consecutive_failures !== undefined) {
    const recent = await ports.health.recentResults(service.id, c.consecutive_failures);
    const failedInARow = recent.length === c.consecutive_failures && recent.every((ok) => !ok);
    values.consecutive_failures = recent.findIndex((ok) => ok) === -1 ? recent.length : recent.findIndex((ok) => ok);
    if (failedInARow) {
      active = true;
      reasons.push(`${c.consecutive_failures} failed health checks in a row`);
    }
  }
  if (c.uptime_below_pct !== undefined && c.window_seconds !== undefined) {
    const { total, healthy } = await ports.health.resultCounts(service.id, new Date(now.getTime() - c.window_seconds * 1000), now);
    if (total > 0) {
      const uptime = (healthy / total) * 100;
      values.uptime_pct = Math.round(uptime * 100) / 100;
      if (uptime < c.uptime_below_pct) {
        active = true;
        reasons.push(`uptime ${values.uptime_pct}% < ${c.uptime_below_pct}% over ${c.window_seconds} s`);
      }
    }
  }
  return { subjectKey: `service:${service.id}`, active, summary: `${service.name}: ${reasons.join('; ') || 'healthy'}`, values, serviceId: service.id, serverId: service.server_id, projectId: service.project_id };
}

/**
 * The observations of a windowed rule now (none when there is no data to decide on).
 */
export async function evaluateWindowed(rule: AlertRuleRow, ports: AlertDataPorts, now: Date): Promise<Observation[]> {
  if (rule.kind === 'health_failing' && rule.scope_service_id) {
    const s = await ports.serviceOf(rule.scope_service_id);
    return s && s.org_id === rule.org_id ? [await healthObservation(rule, ports, { ...s, id: rule.scope_service_id }, now)] : [];
  }
  if (rule.kind === 'error_rate') {
    const c = rule.condition as AlertCondition<'error_rate'>;
    // A service's or an issue's rate (an organisation-wide rate waits for the telemetry store's rollups).
    if (!rule.scope_service_id && !c.issue_id) return [];
    const count = await ports.errors.eventCount(rule.org_id, { serviceId: rule.scope_service_id ?? undefined, issueId: c.issue_id }, new Date(now.getTime() - c.window_seconds * 1000), now);
    const perMinute = count / (c.window_seconds / 60);
    const rounded = Math.round(perMinute * 100) / 100;
    return [
      {
        subjectKey: c.issue_id ? `issue:${c.issue_id}` : `service:${rule.scope_service_id}`,
        active: perMinute > c.per_minute_above,
        summary: `${rounded} error events per minute over ${c.window_seconds} s (above ${c.per_minute_above})`,
        values: { per_minute: rounded, events: count, window_seconds: c.window_seconds, threshold: c.per_minute_above },
        serviceId: rule.scope_service_id,
        serverId: null,
        projectId: null,
      },
    ];
  }
  if (rule.kind === 'log_match') {
    const c = rule.condition as AlertCondition<'log_match'>;
    const n = await ports.telemetry.logCount(rule.org_id, { serviceId: rule.scope_service_id ?? undefined, query: c.query }, now.getTime() - c.window_seconds * 1000, now.getTime());
    return [
      {
        subjectKey: rule.scope_service_id ? `service:${rule.scope_service_id}` : 'org',
        active: compare(c.op, n, c.threshold),
        summary: `${n} log lines matching “${c.query}” in ${c.window_seconds} s (${c.op} ${c.threshold})`,
        values: { count: n, query: c.query, threshold: c.threshold, window_seconds: c.window_seconds },
        serviceId: rule.scope_service_id,
        serverId: null,
        projectId: null,
      },
    ];
  }
  if (rule.kind === 'metric_threshold') return metricObservations(rule, ports, now);
  return [];
}

/**
 * The host metrics a rule may name, as agents store them (ChServerMetricsStore): CPU is a percent
 * gauge; memory and disk are used MiB / GiB gauges, made percent of the totals the agent reported
 * in its hello (the server's memory_mb and disk_gb).
 */
const HOST_SOURCES = {
  'host.cpu_percent': { gauge: 'host.cpu_percent', label: 'host CPU (%)', total: null },
  'host.memory_percent': { gauge: 'host.memory_used_mb', label: 'host memory (%)', total: (h: WatchedHost) => h.memory_mb },
  'host.disk_percent': { gauge: 'host.disk_used_gb', label: 'host disk (%)', total: (h: WatchedHost) => h.disk_gb },
} as const;

interface MetricReading {
  value: number;
  label: string;
  /** The host that decided a host metric (the worst one of a wider scope). */
  host?: WatchedHost;
}

/**
 * A host metric over the rule's servers: the server itself, the one a service runs on, the servers
 * of a project's services, or all the organisation's; the worst host decides (the highest value
 * for `>`/`>=`, the lowest for `<`/`<=`). Hosts without samples (or without a reported total) are
 * left out; null when none has data.
 */
async function hostValue(rule: AlertRuleRow, ports: AlertDataPorts, c: AlertCondition<'metric_threshold'>, fromMs: number, toMs: number): Promise<MetricReading | null> {
  const source = HOST_SOURCES[c.metric as keyof typeof HOST_SOURCES];
  const hosts = await ports.hosts(rule.org_id, { serverId: rule.scope_server_id, serviceId: rule.scope_service_id, projectId: rule.scope_project_id });
  if (hosts.length === 0) return null;
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const values = await ports.telemetry.metric(rule.org_id, { name: source.gauge, serverIds: [...byId.keys()], agg: c.aggregate, perServer: true }, fromMs, toMs);
  const readings: Array<{ value: number; host: WatchedHost }> = [];
  for (const v of values) {
    const host = byId.get(v.server);
    if (!host) continue;
    const total = source.total ? source.total(host) : null;
    if (source.total && !total) continue;
    readings.push({ value: total ? (v.value / total) * 100 : v.value, host });
  }
  if (readings.length === 0) return null;
  const highs = c.op === '>' || c.op === '>=';
  const worst = readings.reduce((a, b) => (highs ? (b.value > a.value ? b : a) : b.value < a.value ? b : a));
  return { value: worst.value, label: hosts.length > 1 ? `${source.label} on ${worst.host.name}` : source.label, host: worst.host };
}

/** The metric a threshold rule reads now, with what it is about; null: no data (nothing is decided). */
async function metricValue(rule: AlertRuleRow, ports: AlertDataPorts, c: AlertCondition<'metric_threshold'>, now: Date): Promise<MetricReading | null> {
  const fromMs = now.getTime() - c.window_seconds * 1000;
  const toMs = now.getTime();
  if (c.metric === 'service.latency_p95_ms' || c.metric === 'service.error_rate') {
    if (!rule.scope_service_id) return null;
    const stats = await ports.telemetry.spanStats(rule.org_id, rule.scope_service_id, fromMs, toMs);
    if (!stats) return null;
    return c.metric === 'service.latency_p95_ms' ? { value: stats.p95Ms, label: 'p95 latency (ms)' } : { value: stats.errorRate * 100, label: 'error rate (%)' };
  }
  if (c.metric === 'otlp') {
    const [got] = await ports.telemetry.metric(rule.org_id, { name: c.otlp_metric!, serviceId: rule.scope_service_id ?? undefined, serverIds: rule.scope_server_id ? [rule.scope_server_id] : undefined, agg: c.aggregate }, fromMs, toMs);
    return got ? { value: got.value, label: c.otlp_metric! } : null;
  }
  return hostValue(rule, ports, c, fromMs, toMs);
}

async function metricObservations(rule: AlertRuleRow, ports: AlertDataPorts, now: Date): Promise<Observation[]> {
  const c = rule.condition as AlertCondition<'metric_threshold'>;
  const got = await metricValue(rule, ports, c, now);
  if (!got) return [];
  const value = Math.round(got.value * 1000) / 1000;
  return [
    {
      subjectKey: rule.scope_service_id ? `service:${rule.scope_service_id}` : rule.scope_server_id ? `server:${rule.scope_server_id}` : rule.scope_project_id ? `project:${rule.scope_project_id}` : 'org',
      active: compare(c.op, value, c.threshold),
      // Hysteresis: once firing, it stays until the value is past resolve_threshold (default: the threshold).
      ...(c.resolve_threshold !== undefined ? { holdsWhileFiring: compare(c.op, value, c.resolve_threshold) } : {}),
      summary: `${got.label} ${value} ${c.op} ${c.threshold} over ${c.window_seconds} s`,
      values: { value, threshold: c.threshold, metric: c.metric, aggregate: c.aggregate, window_seconds: c.window_seconds, ...(got.host ? { server_id: got.host.id, server_name: got.host.name } : {}) },
      serviceId: rule.scope_service_id,
      serverId: rule.scope_server_id ?? got.host?.id ?? null,
      projectId: rule.scope_project_id,
    },
  ];
}
