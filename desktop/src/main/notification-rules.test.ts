import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_RULES, type LiveSnapshot, type NotificationRules } from '../shared/ipc.js';
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
