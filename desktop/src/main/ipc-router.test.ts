import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IPC } from '../shared/ipc.js';
import { createDesktopCore } from './desktop-core.js';
import { createIpcRouter } from './ipc-router.js';
import { fakeCipher } from './test-fakes.js';

function router() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-'));
  const openExternal = vi.fn(async () => undefined);
  const core = createDesktopCore({ dataDir: dir, cipher: fakeCipher(), openExternal, notify: vi.fn(), setTray: vi.fn() });
  const bug = vi.fn();
  return { r: createIpcRouter(core.handlers, bug), openExternal, bug };
}

describe('IPC validation in main', () => {
  it('answers a valid payload', async () => {
    const { r } = router();
    const saved = await r.dispatch(IPC.sessionSave.name, { base_url: 'https://ops.example.com', token: 'syn_s_0123456789', email: 'a@b.c', name: 'A' });
    expect(saved).toMatchObject({ ok: true, data: { accounts: [{ base_url: 'https://ops.example.com', email: 'a@b.c' }] } });
  });

  it('rejects malformed payloads before any handler runs', async () => {
    const { r, openExternal } = router();
    const bad: [string, unknown][] = [
      [IPC.openExternal.name, { url: 'file:///etc/passwd' }],
      [IPC.openExternal.name, { url: 'javascript:alert(1)' }],
      [IPC.openExternal.name, { url: 'https://ok.example.com', extra: true }],
      [IPC.sessionSave.name, { base_url: 'https://x.example.com', token: 'short', email: 'a@b.c', name: null }],
      [IPC.cacheSave.name, { account_id: '../../etc', data: '{}' }],
      [IPC.rulesSet.name, { ...{ server_offline: true, server_online: true, deployment_failed: true, deployment_succeeded: true }, quiet_hours: { enabled: true, start: '25:00', end: '07:00' } }],
      [IPC.liveSnapshot.name, { connected: 'yes', servers: [], deployments: [] }],
      [IPC.accountsList.name, 'not an object'],
    ];
    for (const [channel, payload] of bad) {
      const result = await r.dispatch(channel, payload);
      expect(result, `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('refuses unknown channels (no generic gateway)', async () => {
    const { r } = router();
    expect(await r.dispatch('fs.read', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('reports expected failures as data and hides bugs behind a generic message', async () => {
    const { r, bug } = router();
    expect(await r.dispatch(IPC.accountsSwitch.name, { account_id: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(bug).not.toHaveBeenCalled();
  });
});
