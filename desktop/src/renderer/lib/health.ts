import type { HealthCheckResult } from '@syntra/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './api.js';
import type { Page } from './projects.js';

const PAGE_SIZE = 25;

/**
 * A service's recorded health probes, newest first. Under the `services` key so a deployment event
 * (a new health gate) refreshes it; polled as well, since periodic checks arrive without an event.
 */
export function useHealthChecks(serviceId: string, onlyFailures: boolean) {
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
    refetchInterval: 30_000,
  });
}
