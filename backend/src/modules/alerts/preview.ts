import { ALERT_CONDITION_SCHEMAS, type AlertRulePreview, type CreateAlertRuleBody } from '@syntra/shared';
import type { AlertRuleRow } from './alerts.tables.js';
import { evaluateWindowed } from './evaluators.js';
import type { AlertDataPorts } from './ports.js';

const DAY_S = 86_400;
/** At most this many evaluations per preview: one every 5 minutes at least, wider windows step by their width. */
const MIN_STEP_S = 300;
const MAX_FIRED_AT = 50;

/**
 * Replays a rule that is not saved yet over the last 24 h of stored data: the windowed kinds'
 * evaluation at each step, the for_seconds hold and the cooldown applied as the engine would.
 */
export async function previewRule(orgId: string, input: CreateAlertRuleBody, ports: AlertDataPorts, now: Date): Promise<AlertRulePreview> {
  const condition = ALERT_CONDITION_SCHEMAS[input.kind].parse(input.condition) as Record<string, unknown>;
  const window = typeof condition.window_seconds === 'number' ? condition.window_seconds : 0;
  const step = Math.min(3600, Math.max(MIN_STEP_S, window));
  const none = (note: string): AlertRulePreview => ({ supported: false, note, step_seconds: step, evaluations: 0, active_evaluations: 0, firings: 0, fired_at: [] });
  if (input.kind !== 'metric_threshold' && input.kind !== 'log_match' && input.kind !== 'error_rate' && input.kind !== 'health_failing') {
    return none('This kind fires on each event as it happens; its history is the events themselves.');
  }
  if (input.kind === 'health_failing' && condition.uptime_below_pct === undefined) return none('A preview replays uptime windows; "N failed in a row" is judged on each new check.');
  const rule: AlertRuleRow = {
    id: '00000000-0000-0000-0000-000000000000',
    org_id: orgId,
    name: input.name,
    kind: input.kind,
    scope_server_id: input.scope.server_id ?? null,
    scope_service_id: input.scope.service_id ?? null,
    scope_project_id: input.scope.project_id ?? null,
    condition: input.kind === 'health_failing' ? { ...condition, consecutive_failures: undefined } : condition,
    severity: input.severity,
    for_seconds: input.for_seconds,
    cooldown_seconds: input.cooldown_seconds,
    channel_ids: [],
    enabled: true,
    created_by: null,
    lease_owner: null,
    lease_until: null,
    next_eval_at: now,
    last_evaluated_at: null,
    last_fired_at: null,
    event_cursor: null,
    created_at: now,
    updated_at: now,
  };
  let evaluations = 0;
  let active = 0;
  let since: number | null = null;
  let firing = false;
  let lastFired = -Infinity;
  const firedAt: string[] = [];
  for (let t = now.getTime() - DAY_S * 1000 + step * 1000; t <= now.getTime(); t += step * 1000) {
    const [o] = await evaluateWindowed(rule, ports, new Date(t));
    if (!o) continue;
    evaluations++;
    const holds = firing && o.holdsWhileFiring !== undefined ? o.holdsWhileFiring : o.active;
    if (!holds) {
      since = null;
      firing = false;
      continue;
    }
    active++;
    since ??= t;
    if (!firing && t - since >= input.for_seconds * 1000 && t - lastFired >= input.cooldown_seconds * 1000) {
      firing = true;
      lastFired = t;
      if (firedAt.length < MAX_FIRED_AT) firedAt.push(new Date(t).toISOString());
    }
  }
  const firings = firedAt.length;
  return {
    supported: true,
    note: evaluations === 0 ? 'No stored data for this rule in the last 24 hours.' : null,
    step_seconds: step,
    evaluations,
    active_evaluations: active,
    firings,
    fired_at: firedAt,
  };
}
