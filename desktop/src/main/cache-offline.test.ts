import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isReadOnly, useConnection } from '../renderer/lib/connection.js';
import { restoreCache, snapshotCache } from '../renderer/lib/query-client.js';
import { IPC } from '../shared/ipc.js';
import { createDesktopCore } from './desktop-core.js';
import { createIpcRouter } from './ipc-router.js';
import { fakeCipher } from './test-fakes.js';

function app(dir: string) {
  const core = createDesktopCore({ dataDir: dir, cipher: fakeCipher(), openExternal: vi.fn(), notify: vi.fn(), setTray: vi.fn() });
  return createIpcRouter(core.handlers);
}

afterEach(() => useConnection.getState().setOnline(true));

describe('local cache and offline mode', () => {
  it('persists the query cache per account and restores last-known state in a fresh app', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
    const before = new QueryClient();
    before.setQueryData(['servers', 'org1'], [{ id: 's1', name: 'web-1', status: 'online' }]);
    before.setQueryData(['me'], { user: { email: 'a@b.c' }, orgs: [] });
    expect(await app(dir).dispatch(IPC.cacheSave.name, { account_id: 'acct1', data: snapshotCache(before) })).toMatchObject({ ok: true });

    // Restart: a new main process and a new renderer with an empty query cache.
    const loaded = await app(dir).dispatch(IPC.cacheLoad.name, { account_id: 'acct1' });
    expect(loaded.ok).toBe(true);
    const { data, saved_at } = (loaded as { data: { data: string; saved_at: string } }).data;
    expect(saved_at).toBeTruthy();
    const after = new QueryClient();
    expect(restoreCache(data, after)).toBe(true);
    expect(after.getQueryData(['servers', 'org1'])).toEqual([{ id: 's1', name: 'web-1', status: 'online' }]);

    // Another account sees none of it.
    expect(await app(dir).dispatch(IPC.cacheLoad.name, { account_id: 'acct2' })).toEqual({ ok: true, data: { data: null, saved_at: null } });
  });

  it('treats a damaged cache file as no cache instead of failing to open', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
    fs.mkdirSync(path.join(dir, 'cache'));
    fs.writeFileSync(path.join(dir, 'cache', 'acct1.json'), '{"saved_at": "x", "da');
    expect(await app(dir).dispatch(IPC.cacheLoad.name, { account_id: 'acct1' })).toEqual({ ok: true, data: { data: null, saved_at: null } });
    expect(restoreCache('not json', new QueryClient())).toBe(false);
    expect(restoreCache(JSON.stringify({ v: 999, state: {} }), new QueryClient())).toBe(false);
  });

  it('forgets an account’s cache on sign-out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
    const r = app(dir);
    const saved = await r.dispatch(IPC.sessionSave.name, { base_url: 'http://127.0.0.1:9', token: 'syn_s_0123456789', email: 'a@b.c', name: null });
    const id = (saved as { data: { active_id: string } }).data.active_id;
    await r.dispatch(IPC.cacheSave.name, { account_id: id, data: '{"v":1}' });
    await r.dispatch(IPC.sessionClear.name, { account_id: id });
    expect(await r.dispatch(IPC.cacheLoad.name, { account_id: id })).toEqual({ ok: true, data: { data: null, saved_at: null } });
    expect(await r.dispatch(IPC.sessionGet.name, {})).toEqual({ ok: true, data: null });
  });

  it('goes read-only while the control plane is unreachable and writable again when it answers', () => {
    vi.useFakeTimers();
    const fetchMock = vi.fn(async () => new Response('{}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    try {
      useConnection.getState().setOnline(false);
      expect(isReadOnly()).toBe(true);
      vi.advanceTimersByTime(3100);
      expect(fetchMock).toHaveBeenCalledWith('/healthz', expect.anything());
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
    useConnection.getState().setOnline(true);
    expect(isReadOnly()).toBe(false);
  });
});
