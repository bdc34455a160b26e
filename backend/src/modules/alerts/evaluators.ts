import type { AlertCondition } from '@syntra/shared';
import type { Observation } from './alert-engine.js';
import type { AlertRuleRow } from './alerts.tables.js';
import type { AlertDataPorts } from './ports.js';

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
 * The observations of a windowed rule now. Kinds whose data comes from the telemetry store
 * (log_match, service metrics, OTLP metrics) return none until it is merged.
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
    const count = await ports.errors.eventCount({ serviceId: rule.scope_service_id ?? undefined, issueId: c.issue_id }, new Date(now.getTime() - c.window_seconds * 1000), now);
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
  if (rule.kind === 'metric_threshold' && rule.scope_server_id) {
    const c = rule.condition as AlertCondition<'metric_threshold'>;
    if (c.metric !== 'host.cpu_percent') return [];
    const points = await ports.hostMetrics.range(rule.org_id, rule.scope_server_id, new Date(now.getTime() - c.window_seconds * 1000), now, c.window_seconds);
    if (!points.length) return [];
    const series = points.map((p) => p.cpu_percent);
    const value = c.aggregate === 'max' ? Math.max(...series) : c.aggregate === 'min' ? Math.min(...series) : c.aggregate === 'last' ? series.at(-1)! : series.reduce((a, b) => a + b, 0) / series.length;
    return [
      {
        subjectKey: `server:${rule.scope_server_id}`,
        // Hysteresis: once firing, it stays until the value is past resolve_threshold (default: the threshold).
        active: compare(c.op, value, c.threshold),
        summary: `host CPU ${value.toFixed(1)}% ${c.op} ${c.threshold}% over ${c.window_seconds} s`,
        values: { value, threshold: c.threshold, metric: c.metric },
        serviceId: null,
        serverId: rule.scope_server_id,
        projectId: null,
        ...(c.resolve_threshold !== undefined ? { holdsWhileFiring: compare(c.op, value, c.resolve_threshold) } : {}),
      },
    ];
  }
  return [];
}
