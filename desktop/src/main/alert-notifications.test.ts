import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_NOTIFICATION_RULES, IPC, type LiveSnapshot } from '../shared/ipc.js';
import { createDesktopCore } from './desktop-core.js';
import { createIpcRouter } from './ipc-router.js';
import { fakeCipher } from './test-fakes.js';
import { trayMenuOf, trayStateOf } from './tray-state.js';

type Alert = NonNullable<LiveSnapshot['alerts']>[number];
const alert = (id: string, severity: Alert['severity'], over: Partial<Alert> = {}): Alert => ({ id, rule_name: `rule ${id}`, severity, status: 'firing', summary: `summary ${id}`, acknowledged: false, ...over });
const snap = (alerts: Alert[]): LiveSnapshot => ({ connected: true, servers: [{ id: 's1', name: 'web-1', status: 'online' }], deployments: [], alerts });

function setup(hour: number, fetchImpl?: typeof fetch) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-core-'));
  const notify = vi.fn();
  const setTray = vi.fn();
  const core = createDesktopCore({ dataDir: dir, cipher: fakeCipher(), openExternal: vi.fn(), notify, setTray, now: () => new Date(2026, 11, 1, hour), ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return { core, r: createIpcRouter(core.handlers), notify, setTray };
}

describe('alert events in the desktop main process', () => {
  it('the tray follows the worst firing severity: critical → down, warning → degraded, resolved → ok', () => {
    expect(trayStateOf(snap([alert('a', 'info')]))).toBe('ok');
    expect(trayStateOf(snap([alert('a', 'warning'), alert('b', 'info')]))).toBe('degraded');
    expect(trayStateOf(snap([alert('a', 'warning'), alert('b', 'critical')]))).toBe('down');
    expect(trayStateOf(snap([alert('a', 'critical', { status: 'resolved' })]))).toBe('ok');
    expect(trayStateOf({ ...snap([alert('a', 'critical')]), connected: false })).toBe('disconnected');
  });

  it('a newly firing alert becomes one native notification whose click opens the incident', async () => {
    const { r, notify, setTray } = setup(12);
    await r.dispatch(IPC.liveSnapshot.name, snap([]));
    await r.dispatch(IPC.liveSnapshot.name, snap([alert('e1', 'critical')]));
    await r.dispatch(IPC.liveSnapshot.name, snap([alert('e1', 'critical')])); // still firing: no second notification
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify.mock.calls[0]![0]).toMatchObject({ kind: 'alert_firing', title: 'Critical: rule e1', body: 'summary e1', path: '/alerts/events/e1' });
    expect(setTray.mock.calls.map((c) => c[0])).toEqual(['ok', 'down', 'down']);
  });

  it('opening the app with alerts already firing does not replay them, and acknowledged ones do not notify', async () => {
    const { r, notify } = setup(12);
    await r.dispatch(IPC.liveSnapshot.name, snap([alert('old', 'critical')]));
    await r.dispatch(IPC.liveSnapshot.name, snap([alert('old', 'critical'), alert('acked', 'warning', { acknowledged: true })]));
    expect(notify).not.toHaveBeenCalled();
  });

  it('respects the rule switch and quiet hours, while the tray still changes', async () => {
    const quiet = setup(23);
    await quiet.r.dispatch(IPC.rulesSet.name, { ...DEFAULT_NOTIFICATION_RULES, quiet_hours: { enabled: true, start: '22:00', end: '07:00' } });
    await quiet.r.dispatch(IPC.liveSnapshot.name, snap([]));
    await quiet.r.dispatch(IPC.liveSnapshot.name, snap([alert('e1', 'critical')]));
    expect(quiet.notify).not.toHaveBeenCalled();
    expect(quiet.setTray.mock.calls.at(-1)![0]).toBe('down');

    const off = setup(12);
    await off.r.dispatch(IPC.rulesSet.name, { ...DEFAULT_NOTIFICATION_RULES, alert_firing: false });
    await off.r.dispatch(IPC.liveSnapshot.name, snap([]));
    await off.r.dispatch(IPC.liveSnapshot.name, snap([alert('e1', 'warning')]));
    expect(off.notify).not.toHaveBeenCalled();
  });

  it('the tray menu lists firing alerts worst first, each with Acknowledge', () => {
    const menu = trayMenuOf(snap([alert('w', 'warning'), alert('c', 'critical'), alert('k', 'info', { acknowledged: true })]), []);
    const labels = menu.map((i) => i.label);
    expect(labels.indexOf('✕ rule c')).toBeLessThan(labels.indexOf('▲ rule w'));
    expect(menu.find((i) => i.label === '✕ rule c')!.action).toEqual({ kind: 'open', path: '/alerts/events/c' });
    expect(menu[labels.indexOf('✕ rule c') + 1]!.action).toEqual({ kind: 'ack', eventId: 'c' });
    expect(labels).toContain('ℹ rule k (acknowledged)');
    expect(menu.filter((i) => i.action?.kind === 'ack')).toHaveLength(2);
  });

  it('Acknowledge from the tray posts as the signed-in account and shows it acknowledged at once', async () => {
    const calls: Array<{ url: string; auth: string | null }> = [];
    const fakeFetch = (async (url: URL | string, init?: RequestInit) => {
      calls.push({ url: String(url), auth: new Headers(init?.headers).get('authorization') });
      return new Response(JSON.stringify({ success: true }), { status: 200 });
    }) as typeof fetch;
    const { core, r, setTray } = setup(12, fakeFetch);
    await r.dispatch(IPC.sessionSave.name, { base_url: 'https://syntra.example.test', token: 'syn_session_token', email: 'me@example.test', name: 'Me' });
    await r.dispatch(IPC.liveSnapshot.name, snap([alert('e1', 'critical')]));
    expect(await core.ackAlert('e1')).toEqual({ ok: true, status: 200 });
    expect(calls).toEqual([{ url: 'https://syntra.example.test/api/v1/alert-events/e1/ack', auth: 'Bearer syn_session_token' }]);
    const menu = setTray.mock.calls.at(-1)![1] as Array<{ label: string; action?: { kind: string } }>;
    expect(menu.some((i) => i.label === '✕ rule e1 (acknowledged)')).toBe(true);
    expect(menu.some((i) => i.action?.kind === 'ack')).toBe(false);
  });
});
