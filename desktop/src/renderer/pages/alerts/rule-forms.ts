import { ALERT_RULE_KINDS, type AlertRuleKind, METRIC_SOURCES } from '@syntra/shared';

/** One input of a kind's condition form. */
export interface ConditionField {
  key: string;
  label: string;
  type: 'number' | 'text' | 'select';
  options?: readonly string[];
  required?: boolean;
  help?: string;
}

const OPS = ['>', '>=', '<', '<='] as const;
const WINDOW: ConditionField = { key: 'window_seconds', label: 'Window (seconds)', type: 'number', required: true, help: '60 to 86400' };

/** The condition form of each kind (the backend validates the same fields; its 400 names the one that is wrong). */
export const CONDITION_FORMS: Record<AlertRuleKind, ConditionField[]> = {
  metric_threshold: [
    { key: 'metric', label: 'Metric', type: 'select', options: METRIC_SOURCES, required: true },
    { key: 'otlp_metric', label: 'OTLP metric name (for “otlp”)', type: 'text' },
    { key: 'aggregate', label: 'Aggregate', type: 'select', options: ['avg', 'max', 'min', 'sum', 'p95', 'last'] },
    WINDOW,
    { key: 'op', label: 'Comparison', type: 'select', options: OPS, required: true },
    { key: 'threshold', label: 'Threshold', type: 'number', required: true },
    { key: 'resolve_threshold', label: 'Resolve below/above (hysteresis)', type: 'number' },
  ],
  log_match: [
    { key: 'query', label: 'Log query', type: 'text', required: true },
    WINDOW,
    { key: 'op', label: 'Comparison', type: 'select', options: OPS },
    { key: 'threshold', label: 'Matching lines', type: 'number', required: true },
  ],
  new_issue: [
    { key: 'level', label: 'Level (optional)', type: 'select', options: ['', 'fatal', 'error', 'warning', 'info', 'debug'] },
    { key: 'environment', label: 'Environment (optional)', type: 'text' },
  ],
  issue_regressed: [{ key: 'environment', label: 'Environment (optional)', type: 'text' }],
  error_rate: [{ key: 'issue_id', label: 'Issue id (optional)', type: 'text' }, WINDOW, { key: 'per_minute_above', label: 'Events per minute above', type: 'number', required: true }],
  health_failing: [
    { key: 'consecutive_failures', label: 'Failed checks in a row', type: 'number', help: 'or uptime below' },
    { key: 'uptime_below_pct', label: 'Uptime below (%)', type: 'number' },
    { key: 'window_seconds', label: 'Uptime window (seconds)', type: 'number' },
  ],
  server_offline: [{ key: 'offline_seconds', label: 'Offline for (seconds)', type: 'number', help: '0: at once' }],
  deploy_failed: [],
  deploy_succeeded: [],
  deploy_regressed: [],
};

export const KIND_LABELS: Record<AlertRuleKind, string> = {
  metric_threshold: 'Metric threshold',
  log_match: 'Log lines matching',
  new_issue: 'New error issue',
  issue_regressed: 'Issue regressed',
  error_rate: 'Error rate',
  health_failing: 'Health checks failing',
  server_offline: 'Server offline',
  deploy_failed: 'Deploy failed',
  deploy_succeeded: 'Deploy succeeded (notification)',
  deploy_regressed: 'Deploy regressed (post-deploy verification failed)',
};

export const KINDS = ALERT_RULE_KINDS;

/** The condition object from the form's strings: numbers as numbers, empty fields left out. */
export function conditionOf(kind: AlertRuleKind, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of CONDITION_FORMS[kind]) {
    const v = values[f.key]?.trim() ?? '';
    if (v === '') continue;
    out[f.key] = f.type === 'number' ? Number(v) : v;
  }
  return out;
}
