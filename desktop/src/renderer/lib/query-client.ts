import { dehydrate, hydrate, type Query, QueryClient } from '@tanstack/react-query';
import { ApiRequestError, NetworkError } from './api-error.js';
import { desktop } from './platform.js';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      gcTime: 24 * 60 * 60_000, // keep data for the on-disk cache and offline use
      retry: (count, err) => !(err instanceof ApiRequestError) && !(err instanceof NetworkError) && count < 2,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

const CACHE_VERSION = 1;
const WEB_CACHE_KEY = 'syntra.cache';

interface Persisted {
  v: number;
  state: ReturnType<typeof dehydrate>;
}

/**
 * Queries whose data is a secret (revealed env values, invite previews keyed by their token) say
 * `meta: NO_PERSIST`: they live in memory only and never reach localStorage or the desktop's cache
 * file, whatever else the snapshot holds. One-time tokens (new API tokens, agent install commands,
 * invite links) come from mutations, which are never persisted.
 */
export const NO_PERSIST = { persist: false } as const;

export function persistable(q: Query): boolean {
  return q.state.status === 'success' && (q.meta as { persist?: boolean } | undefined)?.persist !== false;
}

/** Serialises the successful, persistable queries of the query cache (what the console last showed). */
export function snapshotCache(client: QueryClient = queryClient): string {
  const state = dehydrate(client, { shouldDehydrateQuery: persistable, shouldDehydrateMutation: () => false });
  return JSON.stringify({ v: CACHE_VERSION, state } satisfies Persisted);
}

/** Loads a snapshot into the query cache; returns false for a missing, stale-format or damaged one. */
export function restoreCache(data: string | null, client: QueryClient = queryClient): boolean {
  if (!data) return false;
  try {
    const parsed = JSON.parse(data) as Persisted;
    if (parsed.v !== CACHE_VERSION) return false;
    hydrate(client, parsed.state);
    return true;
  } catch {
    return false;
  }
}

export async function loadPersistedCache(accountId: string): Promise<string | null> {
  if (desktop) return (await desktop.cache.load(accountId)).data;
  return localStorage.getItem(`${WEB_CACHE_KEY}.${accountId}`);
}

/** A save waits for this much quiet after a query settles… */
const SAVE_QUIET_MS = 1000;
/** …but never longer than this after the first unsaved change: a live page (health checks every second) is never quiet. */
const SAVE_MAX_WAIT_MS = 5000;

/** Saves the cache (debounced, with a bound on the wait) whenever a query settles, per account. */
export function persistCacheFor(accountId: string): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstUnsavedAt: number | null = null;
  const save = () => {
    timer = undefined;
    firstUnsavedAt = null;
    const data = snapshotCache();
    if (desktop) void desktop.cache.save(accountId, data).catch(() => undefined);
    else {
      try {
        localStorage.setItem(`${WEB_CACHE_KEY}.${accountId}`, data);
      } catch {
        // quota: the web console simply has no offline copy then
      }
    }
  };
  const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success') return;
    const now = Date.now();
    firstUnsavedAt ??= now;
    clearTimeout(timer);
    timer = setTimeout(save, Math.max(0, Math.min(SAVE_QUIET_MS, firstUnsavedAt + SAVE_MAX_WAIT_MS - now)));
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

export function clearWebCache(accountId: string) {
  if (!desktop) localStorage.removeItem(`${WEB_CACHE_KEY}.${accountId}`);
}
