import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_NOTIFICATION_RULES, IPC } from '../shared/ipc.js';
import { createDesktopCore } from './desktop-core.js';
import { createIpcRouter } from './ipc-router.js';
import { fakeCipher } from './test-fakes.js';

function setup(hour: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-'));
  const notify = vi.fn();
  const setTray = vi.fn();
  const core = createDesktopCore({ dataDir: dir, cipher: fakeCipher(), openExternal: vi.fn(), notify, setTray, now: () => new Date(2026, 10, 25, hour) });
  return { r: createIpcRouter(core.handlers), notify, setTray };
}

const servers = (status: 'online' | 'offline') => ({ connected: true, servers: [{ id: 's1', name: 'web-1', status }], deployments: [] });

describe('live snapshots drive the tray and native notifications', () => {
  it('turns the tray degraded and notifies once when a server goes offline; the click target is its page', async () => {
    const { r, notify, setTray } = setup(12);
    await r.dispatch(IPC.liveSnapshot.name, servers('online'));
    await r.dispatch(IPC.liveSnapshot.name, { ...servers('offline'), servers: [...servers('offline').servers, { id: 's2', name: 'db', status: 'online' }] });
    expect(setTray.mock.calls.map((c) => c[0])).toEqual(['ok', 'degraded']);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify.mock.calls[0]![0]).toMatchObject({ kind: 'server_offline', path: '/servers/s1' });
    // The alert also appears in the tray menu.
    expect(setTray.mock.calls[1]![1].some((i: { label: string }) => i.label === 'web-1 is offline')).toBe(true);
  });

  it('keeps quiet during quiet hours but still updates the tray', async () => {
    const { r, notify, setTray } = setup(23);
    await r.dispatch(IPC.rulesSet.name, { ...DEFAULT_NOTIFICATION_RULES, quiet_hours: { enabled: true, start: '22:00', end: '07:00' } });
    await r.dispatch(IPC.liveSnapshot.name, servers('online'));
    await r.dispatch(IPC.liveSnapshot.name, servers('offline'));
    expect(notify).not.toHaveBeenCalled();
    expect(setTray.mock.calls.at(-1)![0]).toBe('down');
  });

  it('notifies a new production issue and a regression from the snapshot main is sent, and lists them in the tray', async () => {
    const { r, notify, setTray } = setup(12);
    const issue = (key: string, kind: 'created' | 'regressed', environment: string) => ({ key, kind, title: 'TypeError: card declined', environment, path: '/issues/i1' });
    await r.dispatch(IPC.liveSnapshot.name, { ...servers('online'), issues: [] });
    await r.dispatch(IPC.liveSnapshot.name, { ...servers('online'), issues: [issue('i1:1', 'created', 'production'), issue('i2:2', 'created', 'staging')] });
    await r.dispatch(IPC.liveSnapshot.name, { ...servers('online'), issues: [issue('i1:1', 'created', 'production'), issue('i2:2', 'created', 'staging'), issue('i1:3', 'regressed', 'production')] });
    expect(notify.mock.calls.map((c) => c[0].kind)).toEqual(['issue_new', 'issue_regressed']);
    expect(notify.mock.calls[0]![0]).toMatchObject({ title: 'New issue in production', body: 'TypeError: card declined', path: '/issues/i1' });
    expect(setTray.mock.calls.at(-1)![1].some((i: { label: string }) => i.label === 'Regression in production')).toBe(true);
  });

  it('keeps notification rules across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-'));
    const make = () => createIpcRouter(createDesktopCore({ dataDir: dir, cipher: fakeCipher(), openExternal: vi.fn(), notify: vi.fn(), setTray: vi.fn() }).handlers);
    await make().dispatch(IPC.rulesSet.name, { ...DEFAULT_NOTIFICATION_RULES, deployment_succeeded: true });
    expect(await make().dispatch(IPC.rulesGet.name, {})).toMatchObject({ ok: true, data: { deployment_succeeded: true } });
  });

  it('keeps several control planes and switches between them', async () => {
    const { r } = setup(12);
    await r.dispatch(IPC.sessionSave.name, { base_url: 'https://a.example.com', token: 'syn_s_aaaaaaaaaa', email: 'me@a.com', name: null });
    const both = await r.dispatch(IPC.sessionSave.name, { base_url: 'https://b.example.com/', token: 'syn_s_bbbbbbbbbb', email: 'me@b.com', name: null });
    const state = (both as { data: { accounts: { id: string; base_url: string }[]; active_id: string } }).data;
    expect(state.accounts.map((a) => a.base_url)).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(await r.dispatch(IPC.sessionGet.name, {})).toMatchObject({ data: { token: 'syn_s_bbbbbbbbbb' } });
    await r.dispatch(IPC.accountsSwitch.name, { account_id: state.accounts[0]!.id });
    expect(await r.dispatch(IPC.sessionGet.name, {})).toMatchObject({ data: { token: 'syn_s_aaaaaaaaaa', account: { email: 'me@a.com' } } });
  });

  it("keeps the control plane's device proof across sign-out, per control plane and email", async () => {
    const { r } = setup(12);
    const saved = await r.dispatch(IPC.sessionSave.name, { base_url: 'https://a.example.com/', token: 'syn_s_aaaaaaaaaa', email: 'Me@A.com', name: null, device_token: 'syn_dev_payload.mac' });
    const accountId = (saved as { data: { active_id: string } }).data.active_id;
    await r.dispatch(IPC.sessionClear.name, { account_id: accountId });
    expect(await r.dispatch(IPC.sessionGet.name, {})).toMatchObject({ ok: true, data: null });
    expect(await r.dispatch(IPC.deviceProofGet.name, { base_url: 'https://a.example.com', email: 'me@a.com' })).toMatchObject({ data: { device_token: 'syn_dev_payload.mac' } });
    expect(await r.dispatch(IPC.deviceProofGet.name, { base_url: 'https://b.example.com', email: 'me@a.com' })).toMatchObject({ data: { device_token: null } });
    expect(await r.dispatch(IPC.deviceProofGet.name, { base_url: 'https://a.example.com', email: 'other@a.com' })).toMatchObject({ data: { device_token: null } });
  });
});
