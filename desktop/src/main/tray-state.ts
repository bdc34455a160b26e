import type { LiveSnapshot } from '../shared/ipc.js';

export type TrayState = 'ok' | 'degraded' | 'down' | 'disconnected';

const FAILED_DEPLOY = new Set(['failed']);

/**
 * The tray icon's state from what the console knows live:
 * - disconnected: no live connection to the control plane (we cannot vouch for anything);
 * - down: every server is offline or in error;
 * - degraded: some server is offline/in error/updating, or a recent deployment failed;
 * - ok: everything reachable and healthy (also when there are no servers yet).
 */
export function trayStateOf(snapshot: LiveSnapshot): TrayState {
  if (!snapshot.connected) return 'disconnected';
  return worse(serverStateOf(snapshot), alertStateOf(snapshot));
}

const ORDER: Record<TrayState, number> = { ok: 0, degraded: 1, down: 2, disconnected: 3 };
const worse = (a: TrayState, b: TrayState): TrayState => (ORDER[a] >= ORDER[b] ? a : b);

/** The worst firing alert: critical → down, warning → degraded (acknowledged ones included: they are not fixed yet). */
function alertStateOf(snapshot: LiveSnapshot): TrayState {
  const firing = (snapshot.alerts ?? []).filter((a) => a.status === 'firing');
  if (firing.some((a) => a.severity === 'critical')) return 'down';
  if (firing.some((a) => a.severity === 'warning')) return 'degraded';
  return 'ok';
}

function serverStateOf(snapshot: LiveSnapshot): TrayState {
  const servers = snapshot.servers;
  const bad = servers.filter((s) => s.status === 'offline' || s.status === 'error').length;
  if (servers.length > 0 && bad === servers.length) return 'down';
  if (bad > 0 || servers.some((s) => s.status === 'updating')) return 'degraded';
  if (snapshot.deployments.some((d) => FAILED_DEPLOY.has(d.status))) return 'degraded';
  return 'ok';
}

export const TRAY_TOOLTIP: Record<TrayState, string> = {
  ok: 'Syntra: all systems ok',
  degraded: 'Syntra: something needs attention',
  down: 'Syntra: servers are down',
  disconnected: 'Syntra: not connected to the control plane',
};

export interface TrayMenuItem {
  label: string;
  /** A console path to open, or an app action. */
  action?: { kind: 'open'; path: string } | { kind: 'ack'; eventId: string } | { kind: 'quit' };
  enabled?: boolean;
  separator?: boolean;
}

const STATUS_MARK: Record<string, string> = { online: '●', offline: '○', error: '✕', updating: '◐' };
const MAX_SERVERS_IN_MENU = 15;
const MAX_ALERTS_IN_MENU = 5;
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;
const SEVERITY_MARK = { critical: '✕', warning: '▲', info: 'ℹ' } as const;

/** The tray menu as data (the Electron adapter turns it into a native Menu). */
export function trayMenuOf(snapshot: LiveSnapshot, alerts: readonly { title: string; path: string }[]): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ label: 'Open console', action: { kind: 'open', path: '/' } }, { label: '', separator: true }];
  const servers = [...snapshot.servers].sort((a, b) => rank(a.status) - rank(b.status) || a.name.localeCompare(b.name));
  if (servers.length === 0) items.push({ label: 'No servers yet', enabled: false });
  for (const s of servers.slice(0, MAX_SERVERS_IN_MENU)) {
    items.push({ label: `${STATUS_MARK[s.status] ?? '?'} ${s.name} — ${s.status}`, action: { kind: 'open', path: `/servers/${s.id}` } });
  }
  if (servers.length > MAX_SERVERS_IN_MENU) {
    items.push({ label: `All ${servers.length} servers…`, action: { kind: 'open', path: '/servers' } });
  }
  items.push({ label: '', separator: true });
  // Firing alerts first (worst first), each with its acknowledge item; then other recent events.
  const firing = (snapshot.alerts ?? []).filter((a) => a.status === 'firing').sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  for (const a of firing.slice(0, MAX_ALERTS_IN_MENU)) {
    items.push({ label: `${SEVERITY_MARK[a.severity]} ${a.rule_name}${a.acknowledged ? ' (acknowledged)' : ''}`, action: { kind: 'open', path: `/alerts/events/${a.id}` } });
    if (!a.acknowledged) items.push({ label: '    Acknowledge', action: { kind: 'ack', eventId: a.id } });
  }
  if (firing.length > MAX_ALERTS_IN_MENU) items.push({ label: `All ${firing.length} firing alerts…`, action: { kind: 'open', path: '/alerts' } });
  if (alerts.length === 0 && firing.length === 0) items.push({ label: 'No recent alerts', enabled: false });
  for (const a of alerts.slice(0, 5)) items.push({ label: a.title, action: { kind: 'open', path: a.path } });
  items.push({ label: '', separator: true }, { label: 'Quit Syntra', action: { kind: 'quit' } });
  return items;
}

function rank(status: string): number {
  return status === 'error' ? 0 : status === 'offline' ? 1 : status === 'updating' ? 2 : 3;
}
