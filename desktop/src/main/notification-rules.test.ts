import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_RULES, type LiveSnapshot, type NotificationRules, NotificationRulesSchema } from '../shared/ipc.js';
import { eventsBetween, inQuietHours, shouldNotify } from './notification-rules.js';

const at = (hh: number, mm = 0) => new Date(2026, 10, 25, hh, mm);
const snap = (servers: LiveSnapshot['servers'], deployments: LiveSnapshot['deployments'] = [], connected = true): LiveSnapshot => ({ connected, servers, deployments });
const rules = (over: Partial<NotificationRules> = {}): NotificationRules => ({ ...DEFAULT_NOTIFICATION_RULES, ...over });

describe('notification events', () => {
  it('says nothing for the first snapshot after start (no replay of the world as alerts)', () => {
    expect(eventsBetween(null, snap([{ id: '1', name: 'web', status: 'offline' }]))).toEqual([]);
  });

  it('reports a server going offline and coming back, each opening the server page', () => {
    const online = snap([{ id: '1', name: 'web', status: 'online' }]);
    const offline = snap([{ id: '1', name: 'web', status: 'offline' }]);
    expect(eventsBetween(online, offline)).toEqual([expect.objectContaining({ kind: 'server_offline', title: 'web is offline', path: '/servers/1' })]);
    expect(eventsBetween(offline, online)).toEqual([expect.objectContaining({ kind: 'server_online', path: '/servers/1' })]);
    expect(eventsBetween(online, online)).toEqual([]);
  });

  it('reports deployments that fail or finish, not ones that merely progress', () => {
    const d = (status: LiveSnapshot['deployments'][number]['status']) => snap([], [{ id: 'd1', service_name: 'api', status, path: '/deployments/d1' }]);
    expect(eventsBetween(d('queued'), d('building'))).toEqual([]);
    expect(eventsBetween(d('deploying'), d('failed'))).toEqual([expect.objectContaining({ kind: 'deployment_failed', path: '/deployments/d1' })]);
    expect(eventsBetween(d('deploying'), d('running'))).toEqual([expect.objectContaining({ kind: 'deployment_succeeded', title: 'api deployed' })]);
  });

  it('stays quiet across a reconnect (a disconnected snapshot is no baseline)', () => {
    const online = snap([{ id: '1', name: 'web', status: 'online' }]);
    const lost = snap([{ id: '1', name: 'web', status: 'online' }], [], false);
    expect(eventsBetween(online, lost)).toEqual([]);
    expect(eventsBetween(lost, snap([{ id: '1', name: 'web', status: 'offline' }]))).toEqual([]);
  });
});

describe('issue notifications', () => {
  type Issue = NonNullable<LiveSnapshot['issues']>[number];
  const issue = (key: string, kind: Issue['kind'], environment: string | null): Issue => ({ key, kind, title: `TypeError: boom (${key})`, environment, path: `/issues/${key}` });
  const withIssues = (issues: Issue[]): LiveSnapshot => ({ ...snap([]), issues });

  it('reports a new issue in production, opening the issue, but not one in staging or without an environment', () => {
    const before = withIssues([]);
    const after = withIssues([issue('i1', 'created', 'production'), issue('i2', 'created', 'staging'), issue('i3', 'created', null)]);
    expect(eventsBetween(before, after)).toEqual([{ kind: 'issue_new', title: 'New issue in production', body: 'TypeError: boom (i1)', path: '/issues/i1' }]);
  });

  it('reports a regression in any environment, once per occurrence', () => {
    const once = withIssues([issue('i1:r1', 'regressed', 'staging')]);
    expect(eventsBetween(withIssues([]), once)).toEqual([expect.objectContaining({ kind: 'issue_regressed', title: 'Regression in staging', path: '/issues/i1:r1' })]);
    expect(eventsBetween(once, once)).toEqual([]); // the same occurrence in the next snapshot is not news
    expect(eventsBetween(once, withIssues([issue('i1:r1', 'regressed', 'staging'), issue('i1:r2', 'regressed', 'staging')]))).toHaveLength(1);
  });

  it('follows the issue switches, both on by default', () => {
    const created = { kind: 'issue_new' as const, title: 't', body: 'b', path: '/issues/1' };
    const regressed = { kind: 'issue_regressed' as const, title: 't', body: 'b', path: '/issues/1' };
    expect(shouldNotify(created, rules(), at(12))).toBe(true);
    expect(shouldNotify(regressed, rules(), at(12))).toBe(true);
    expect(shouldNotify(regressed, rules({ issue_regressed: false }), at(12))).toBe(false);
  });

  it('reads rules saved before issue notifications existed as on', () => {
    const { issue_new: _n, issue_regressed: _r, ...old } = DEFAULT_NOTIFICATION_RULES;
    expect(NotificationRulesSchema.parse(old)).toMatchObject({ issue_new: true, issue_regressed: true });
  });
});

describe('notification rules', () => {
  const offline = { kind: 'server_offline' as const, title: 't', body: 'b', path: '/servers/1' };
  const succeeded = { kind: 'deployment_succeeded' as const, title: 't', body: 'b', path: '/deployments/1' };

  it('follows the per-event switches', () => {
    expect(shouldNotify(offline, rules(), at(12))).toBe(true);
    expect(shouldNotify(succeeded, rules(), at(12))).toBe(false); // off by default
    expect(shouldNotify(offline, rules({ server_offline: false }), at(12))).toBe(false);
  });

  it('holds everything during quiet hours that span midnight', () => {
    const quiet = rules({ quiet_hours: { enabled: true, start: '22:00', end: '07:00' } });
    expect(shouldNotify(offline, quiet, at(23, 30))).toBe(false);
    expect(shouldNotify(offline, quiet, at(3))).toBe(false);
    expect(shouldNotify(offline, quiet, at(7))).toBe(true);
    expect(shouldNotify(offline, quiet, at(21, 59))).toBe(true);
  });

  it('handles a same-day window and a disabled window', () => {
    const lunch = rules({ quiet_hours: { enabled: true, start: '12:00', end: '13:00' } });
    expect(inQuietHours(lunch, at(12, 30))).toBe(true);
    expect(inQuietHours(lunch, at(13, 0))).toBe(false);
    expect(inQuietHours(rules({ quiet_hours: { enabled: false, start: '00:00', end: '23:59' } }), at(12))).toBe(false);
  });
});
