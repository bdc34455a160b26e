import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { persistCacheFor, queryClient } from './query-client.js';

/** The web console's localStorage, as far as the persister uses it. */
function fakeStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k), items };
}

describe('the persisted query cache', () => {
  let storage: ReturnType<typeof fakeStorage>;
  beforeEach(() => {
    vi.useFakeTimers();
    storage = fakeStorage();
    vi.stubGlobal('localStorage', storage);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    queryClient.clear();
  });

  it('is saved while a live page keeps updating queries more often than the quiet period', async () => {
    const stop = persistCacheFor('acct');
    // Health checks and live events settle a query every 500 ms: the page is never quiet for a second.
    for (let i = 0; i < 20; i += 1) {
      queryClient.setQueryData(['health', 'svc'], { n: i });
      await vi.advanceTimersByTimeAsync(500);
    }
    const saved = storage.getItem('syntra.cache.acct');
    expect(saved, 'saved within the maximum wait').not.toBeNull();
    expect(saved).toContain('"n"');
    stop();
  });

  it('waits for a quiet moment when updates are rare', async () => {
    const stop = persistCacheFor('acct');
    queryClient.setQueryData(['servers'], ['a']);
    await vi.advanceTimersByTimeAsync(500);
    expect(storage.getItem('syntra.cache.acct')).toBeNull();
    await vi.advanceTimersByTimeAsync(600);
    expect(storage.getItem('syntra.cache.acct')).toContain('"a"');
    stop();
  });
});
