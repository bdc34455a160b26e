import type { HealthCheckResult } from '@syntra/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './api.js';
import type { Page } from './projects.js';

const PAGE_SIZE = 25;
/** While nothing is recorded yet (just deployed), results are seconds away: look again soon. */
const EMPTY_POLL_MS = 5_000;

/**
 * A service's recorded health probes, newest first. No stream event announces a probe, so the list
 * polls at the probe interval (bounded to 10–60 s), and stops once older pages are loaded: a reader
 * paging through history does not want every page refetched under them.
 */
export function useHealthChecks(serviceId: string, onlyFailures: boolean, probeIntervalSeconds: number) {
  return useInfiniteQuery({
    queryKey: ['services', 'health', serviceId, onlyFailures],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const qs = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (pageParam) qs.set('cursor', pageParam);
      if (onlyFailures) qs.set('healthy', 'false');
      return api<Page<HealthCheckResult>>(`/api/v1/services/${serviceId}/health?${qs}`);
    },
    getNextPageParam: (last) => last.next_cursor,
    refetchInterval: (query) => {
      const pages = query.state.data?.pages ?? [];
      if (pages.length > 1) return false;
      if ((pages[0]?.items.length ?? 0) === 0) return EMPTY_POLL_MS;
      return Math.min(60_000, Math.max(10_000, probeIntervalSeconds * 1000));
    },
  });
}
