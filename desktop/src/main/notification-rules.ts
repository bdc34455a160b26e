import type { LiveSnapshot, NotificationRules } from '../shared/ipc.js';

export type LiveEventKind = 'server_offline' | 'server_online' | 'deployment_failed' | 'deployment_succeeded' | 'issue_new' | 'issue_regressed';

export interface LiveEvent {
  kind: LiveEventKind;
  title: string;
  body: string;
  /** The console page the event is about; a click on the notification opens it. */
  path: string;
}

/**
 * What changed between two live snapshots, as user-facing events. The first snapshot after start
 * (prev = null) produces none: opening the app must not replay the state of the world as alerts.
 */
export function eventsBetween(prev: LiveSnapshot | null, next: LiveSnapshot): LiveEvent[] {
  if (!prev || !prev.connected || !next.connected) return [];
  const events: LiveEvent[] = [];
  const before = new Map(prev.servers.map((s) => [s.id, s.status]));
  for (const s of next.servers) {
    const was = before.get(s.id);
    if (!was || was === s.status) continue;
    if (s.status === 'offline' && was !== 'offline') {
      events.push({ kind: 'server_offline', title: `${s.name} is offline`, body: 'The agent stopped reporting.', path: `/servers/${s.id}` });
    } else if (s.status === 'online' && (was === 'offline' || was === 'error')) {
      events.push({ kind: 'server_online', title: `${s.name} is back online`, body: 'The agent reconnected.', path: `/servers/${s.id}` });
    }
  }
  const deploys = new Map(prev.deployments.map((d) => [d.id, d.status]));
  for (const d of next.deployments) {
    const was = deploys.get(d.id);
    if (was === d.status) continue;
    const path = d.path ?? `/deployments/${d.id}`;
    if (d.status === 'failed') {
      events.push({ kind: 'deployment_failed', title: `Deploy of ${d.service_name} failed`, body: 'The previous version keeps serving.', path });
    } else if (d.status === 'running' && was !== undefined) {
      events.push({ kind: 'deployment_succeeded', title: `${d.service_name} deployed`, body: 'The new version is live.', path });
    }
  }
  events.push(...issueEvents(prev, next));
  return events;
}

/** Production by the names SDKs are configured with; other environments' new issues are not worth a desktop alert. */
export function isProduction(environment: string | null): boolean {
  return environment !== null && /^(prod|production)$/i.test(environment.trim());
}

/**
 * Issue occurrences the previous snapshot did not hold: a new issue in production, or a regression
 * (in any environment: a fix that did not hold is news wherever it happens).
 */
function issueEvents(prev: LiveSnapshot, next: LiveSnapshot): LiveEvent[] {
  const seen = new Set((prev.issues ?? []).map((i) => i.key));
  const events: LiveEvent[] = [];
  for (const i of next.issues ?? []) {
    if (seen.has(i.key)) continue;
    const where = i.environment ? ` in ${i.environment}` : '';
    if (i.kind === 'regressed') {
      events.push({ kind: 'issue_regressed', title: `Regression${where}`, body: i.title, path: i.path });
    } else if (isProduction(i.environment)) {
      events.push({ kind: 'issue_new', title: `New issue${where}`, body: i.title, path: i.path });
    }
  }
  return events;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Quiet hours in local time; a window whose end is before its start spans midnight (22:00–07:00). */
export function inQuietHours(rules: NotificationRules, at: Date): boolean {
  if (!rules.quiet_hours.enabled) return false;
  const start = minutesOf(rules.quiet_hours.start);
  const end = minutesOf(rules.quiet_hours.end);
  const now = at.getHours() * 60 + at.getMinutes();
  if (start === end) return true;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** Whether an event becomes a native notification under the user's rules at this moment. */
export function shouldNotify(event: LiveEvent, rules: NotificationRules, at: Date): boolean {
  return rules[event.kind] && !inQuietHours(rules, at);
}
